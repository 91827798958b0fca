/**
 * The page talks to the engine through an `EngineHost`: it sends commands and receives
 * frames. In the browser the engine runs in a worker (workerHost.ts); `LocalHost`
 * (localHost.ts) runs the same endpoint in-process, synchronously, for tests, tools and
 * Node: a command's frame has been delivered by the time `send` returns. It has a module
 * of its own so that the page, which only talks to a worker, does not load the engine.
 */
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
