/**
 * The engine in a module Web Worker, with a watchdog. The page sends a command and goes
 * on drawing; if an answer takes longer than the command is allowed (`ANSWER_WITHIN_MS`),
 * the worker is stopped and a fresh one started, pending commands fail with one message,
 * and `onRestart` listeners are told why: the tab never freezes, whatever the scenario.
 */
import { createEngineWorker, takeEarlyWorker } from './earlyWorker';
import type { Frame } from './frame';
import { type EngineHost, Listeners } from './host';
import {
  ANSWER_WITHIN_MS,
  type CommandOf,
  type Op,
  type ReplyOf,
  type WorkerMessage,
} from './protocol';

interface Pending {
  op: Op;
  sentAt: number;
  resolve(reply: unknown): void;
  reject(error: Error): void;
}

/** The error a command fails with when the watchdog stopped the engine. */
export class EngineStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineStopped';
  }
}

export interface WorkerHostOptions {
  /** Makes the worker (tests may pass a fake). */
  create?: () => Worker;
  /** Wall clock, ms. */
  clock?: () => number;
  /** How often the watchdog looks. */
  watchEveryMs?: number;
}

/** The worker index.html started before the app, or else a new one (earlyWorker.ts). */
const engineWorker = (): Worker => takeEarlyWorker() ?? createEngineWorker();

export class WorkerHost implements EngineHost {
  private worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, Pending>();
  private readonly frames = new Listeners<Frame>();
  private readonly restarts = new Listeners<string>();
  private readonly create: () => Worker;
  private readonly clock: () => number;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(options: WorkerHostOptions = {}) {
    this.create = options.create ?? engineWorker;
    this.clock = options.clock ?? (() => performance.now());
    this.worker = this.start();
    this.timer = setInterval(() => this.watch(), options.watchEveryMs ?? 250);
  }

  get pending(): number {
    return this.waiting.size;
  }

  private start(): Worker {
    const worker = this.create();
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.restart(
        `The simulation failed (${event.message || 'an error in the engine'}) and was restarted.`,
      );
    };
    return worker;
  }

  private receive(message: WorkerMessage): void {
    const pending = this.waiting.get(message.id);
    if (!pending) return;
    this.waiting.delete(message.id);
    if (!message.ok) {
      pending.reject(new Error(message.error));
      return;
    }
    if (message.frame) this.frames.emit(message.frame);
    pending.resolve(message.reply);
  }

  send<O extends Op>(command: CommandOf<O>): Promise<ReplyOf<O>> {
    const id = this.nextId++;
    return new Promise<ReplyOf<O>>((resolve, reject) => {
      this.waiting.set(id, {
        op: command.op,
        sentAt: this.clock(),
        resolve: resolve as (r: unknown) => void,
        reject,
      });
      this.worker.postMessage({ id, command });
    });
  }

  /** The oldest unanswered command is late: stop the engine. */
  private watch(): void {
    const now = this.clock();
    for (const p of this.waiting.values()) {
      const late = now - p.sentAt;
      if (late > ANSWER_WITHIN_MS[p.op]) {
        this.restart(
          `The simulation did not answer for ${Math.round(late / 1000)} s and was stopped, so the page stays responsive.`,
        );
        return;
      }
    }
  }

  private restart(why: string): void {
    this.worker.terminate();
    const failed = [...this.waiting.values()];
    this.waiting.clear();
    this.worker = this.start();
    for (const p of failed) p.reject(new EngineStopped(why));
    this.restarts.emit(why);
  }

  onFrame(listener: (frame: Frame) => void): () => void {
    return this.frames.add(listener);
  }

  onRestart(listener: (why: string) => void): () => void {
    return this.restarts.add(listener);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.worker.terminate();
    for (const p of this.waiting.values())
      p.reject(new EngineStopped('The playground was closed.'));
    this.waiting.clear();
  }
}
