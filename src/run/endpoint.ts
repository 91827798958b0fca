/**
 * The engine's side of the protocol: one session, one frame writer, and a handler per
 * command. The worker (engine.worker.ts) wraps it in `postMessage`; `LocalHost` calls it
 * directly. A host-provided clock gives the wall-clock budgets (the engine has none).
 */
import { applyDemo, applySolution, enterStep, fastForward, reveal } from '../learn/player';
import { gradeChallenge } from './grade';
import { FrameWriter } from './frame';
import { HeadlessDriver } from './lessons';
import type { CommandOf, Handled, Op, Replies } from './protocol';
import { RunSession } from './session';

/** While playing, the costlier parts of a frame (inspected messages, lesson checks) come this often. */
const DETAIL_EVERY_MS = 200;

export interface EndpointOptions {
  /** Wall-clock milliseconds (the worker's `performance.now`); without one there are no wall budgets. */
  clock?: () => number;
}

export class EngineEndpoint {
  session: RunSession | null = null;
  readonly writer = new FrameWriter();
  private readonly clock: (() => number) | undefined;
  private lastDetail = Number.NEGATIVE_INFINITY;

  constructor(options: EndpointOptions = {}) {
    this.clock = options.clock;
  }

  /** A budget of `wallMs` from now, or none. */
  private deadline(wallMs: number | undefined): (() => boolean) | undefined {
    const clock = this.clock;
    if (!clock || wallMs === undefined) return undefined;
    const end = clock() + wallMs;
    return () => clock() > end;
  }

  private need(): RunSession {
    if (!this.session) throw new Error('nothing is loaded yet');
    return this.session;
  }

  handle<O extends Op>(command: CommandOf<O>): Handled<O> {
    const reply = this.run(command as never) as Replies[O];
    const session = this.session;
    if (
      !session ||
      command.op === 'orderRecords' ||
      command.op === 'allRecords' ||
      command.op === 'grade'
    )
      return { reply, frame: null };
    // Playing sends an advance every animation frame: the detailed parts ride along a few times a second.
    // An advance without a wall budget is not a frame of playback (a lesson, a test, a jump
    // forward): its frame is the last one for a while, so it always carries the details.
    let detail = true;
    if (
      command.op === 'advance' &&
      (command as CommandOf<'advance'>).wallMs !== undefined &&
      this.clock
    ) {
      const now = this.clock();
      detail = now - this.lastDetail >= DETAIL_EVERY_MS;
      if (detail) this.lastDetail = now;
    }
    return { reply, frame: this.writer.write(session, detail) };
  }

  private run(c: CommandOf<Op>): Replies[Op] {
    switch (c.op) {
      case 'load': {
        if (!this.session)
          this.session = new RunSession(c.setup.scenario, {
            mode: c.setup.mode,
            seed: c.setup.seed,
          });
        return this.session.load(c.setup, {
          maxEvents: c.maxEvents,
          shouldYield: this.deadline(c.wallMs),
        });
      }
      case 'apply':
        return { problem: this.need().apply(c.body, c.fork) };
      case 'advance':
        return { reached: this.need().advanceTo(c.to, this.deadline(c.wallMs)) };
      case 'seek':
        this.need().seek(c.to);
        return {};
      case 'step':
        this.need().step();
        return {};
      case 'stepBack':
        this.need().stepBack();
        return {};
      case 'closeBranch':
        this.need().closeBranch();
        return {};
      case 'interests':
        this.writer.interests = c.interests;
        return {};
      case 'orderRecords':
        return { records: this.need().sims[c.side]?.orderRecords(c.corr) ?? [] };
      case 'allRecords':
        return { records: this.need().sims[c.side]?.allRecords() ?? [] };
      case 'enterStep':
        this.withDriver((d) => enterStep(d, c.step));
        return {};
      case 'applySolution':
        this.withDriver((d) => applySolution(d, c.step));
        return {};
      case 'fastForward':
        this.withDriver((d) => fastForward(d, c.steps, c.index));
        return {};
      case 'reveal':
        return this.withDriver((d) => reveal(d, c.predict));
      case 'demo':
        this.withDriver((d) => applyDemo(d, c.demo));
        return {};
      case 'grade':
        return gradeChallenge(c.challenge, c.settings);
    }
  }

  /** Lessons act on this page's runs; the first lesson load may also create them. */
  private withDriver<T>(act: (driver: HeadlessDriver) => T): T {
    const driver = new HeadlessDriver(this.session);
    try {
      return act(driver);
    } finally {
      this.session = driver.session;
    }
  }
}
