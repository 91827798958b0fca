/**
 * The engine in-process, synchronously (tests, tools, Node): see `EngineHost` in host.ts.
 */
import { EngineEndpoint, type EndpointOptions } from './endpoint';
import type { Frame } from './frame';
import { type EngineHost, Listeners } from './host';
import type { CommandOf, Op, ReplyOf } from './protocol';

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
