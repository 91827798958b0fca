/**
 * The page talks to the engine through an `EngineHost`: it sends commands and receives
 * frames. In the browser the engine runs in a worker (workerHost.ts); `LocalHost` runs
 * the same endpoint in-process, synchronously, for tests, tools and Node: a command's
 * frame has been delivered by the time `send` returns.
 */
import { EngineEndpoint, type EndpointOptions } from './endpoint';
import type { Frame } from './frame';
import type { CommandOf, Op, ReplyOf } from './protocol';

export interface EngineHost {
  /** Ask the engine something; listeners get the frame before the reply resolves. */
  send<O extends Op>(command: CommandOf<O>): Promise<ReplyOf<O>>;
  /** Called with every frame, in order. Returns a function that stops listening. */
  onFrame(listener: (frame: Frame) => void): () => void;
  /** Called when the engine stopped answering and was restarted empty (watchdog). */
  onRestart(listener: (why: string) => void): () => void;
  /** Commands sent and not yet answered. */
  readonly pending: number;
  dispose(): void;
}

/** A small listener list. */
export class Listeners<T> {
  private readonly list = new Set<(value: T) => void>();
  add(listener: (value: T) => void): () => void {
    this.list.add(listener);
    return () => this.list.delete(listener);
  }
  emit(value: T): void {
    for (const listener of [...this.list]) listener(value);
  }
}

export class LocalHost implements EngineHost {
  readonly endpoint: EngineEndpoint;
  private readonly frames = new Listeners<Frame>();
  private readonly restarts = new Listeners<string>();
  readonly pending = 0;

  constructor(options: EndpointOptions = {}) {
    this.endpoint = new EngineEndpoint(options);
  }

  send<O extends Op>(command: CommandOf<O>): Promise<ReplyOf<O>> {
    try {
      const { reply, frame } = this.endpoint.handle(command);
      if (frame) this.frames.emit(frame);
      return Promise.resolve(reply);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  onFrame(listener: (frame: Frame) => void): () => void {
    return this.frames.add(listener);
  }

  onRestart(listener: (why: string) => void): () => void {
    return this.restarts.add(listener);
  }

  dispose(): void {
    this.endpoint.session = null;
  }
}
