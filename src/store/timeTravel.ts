/**
 * Time travel: going to any earlier moment (exact: the engine restores a checkpoint and
 * re-runs), stepping back one moment, and the question a change in the past raises:
 * "discard the old future, or keep it as branch A?". Branch A then follows the clock so
 * both outcomes can be compared at the same moment. Following one order across sides
 * lives here too. All of it is state of the engine's session: nothing depends on which
 * components are on screen.
 */
import type { TraceRecord } from '../core/trace';
import type { Side } from '../run/modes';
import type { ForkChoice } from '../run/session';
import type { Kernel } from './kernel';

export interface TimeTravelPart {
  /** Show the exact state at `t` (0..head) on every side; pauses. */
  seek(t: number): Promise<void>;
  /** Back to the previous moment something happened; pauses. */
  stepBack(): Promise<void>;
  /** Answer the fork question: apply the held change, discarding or keeping the old future. */
  confirmFork(choice: ForkChoice): Promise<string | null>;
  /** Drop the held change: nothing happens. */
  cancelFork(): void;
  /** Stop comparing with branch A. */
  closeBranch(): Promise<void>;
  /** Follow an order number on every side (null: stop following). */
  follow(corr: number | null): void;
  /** Every record of one order so far, re-created by the engine. */
  orderRecords(side: Side, corr: number): Promise<TraceRecord[]>;
  /** Every record of the run so far (export). */
  allRecords(side: Side): Promise<TraceRecord[]>;
}

export function createTimeTravel(k: Kernel): TimeTravelPart {
  return {
    async seek(t) {
      if (!Number.isFinite(t)) return;
      k.set({ playing: false });
      await k.host.send({ op: 'seek', to: t });
    },
    async stepBack() {
      k.set({ playing: false });
      await k.host.send({ op: 'stepBack' });
    },
    async confirmFork(choice) {
      const pending = k.get().pendingFork;
      if (!pending) return null;
      k.set({ pendingFork: null });
      return (await k.host.send({ op: 'apply', body: pending.body, fork: choice })).problem;
    },
    cancelFork() {
      k.set({ pendingFork: null });
    },
    async closeBranch() {
      await k.host.send({ op: 'closeBranch' });
    },
    follow(corr) {
      const valid = corr !== null && Number.isInteger(corr) && corr > 0 ? corr : null;
      k.set({ followed: valid });
      k.setInterests({ follow: valid });
    },
    async orderRecords(side, corr) {
      return (await k.host.send({ op: 'orderRecords', side, corr })).records;
    },
    async allRecords(side) {
      return (await k.host.send({ op: 'allRecords', side })).records;
    },
  };
}
