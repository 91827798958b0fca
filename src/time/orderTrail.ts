/**
 * The records of one followed order, kept up to date frame after frame without
 * re-running the simulation each time.
 *
 * The first read re-creates them with `Simulation.orderRecords(corr)` (a private re-run
 * from a checkpoint). After that, each read only scans the records the simulation wrote
 * since the last one. When the clock went back, the records after `now` are cut off
 * (the run is deterministic, so what is left is exactly the order's past). When too
 * much happened in between (the ring no longer holds it) or a different future was
 * written (a fork), it re-creates them again.
 */
import type { Simulation, TraceRecord } from '../core';

export class OrderTrail {
  private sim: Simulation | null = null;
  private corr = 0;
  private records: TraceRecord[] = [];
  /** sim.traceCount when last read. */
  private count = 0;
  private now = -1;
  /** The newest record read (index count - 1), to notice a rewritten future. */
  private lastKey = '';
  /** The learner's interventions when last read: a change means a forked future. */
  private log = '';
  /** Bumped whenever `records` changes: views compare it to skip work. */
  version = 0;
  /** How often the order was re-created from a checkpoint (tests). */
  reloads = 0;

  /** The order's records up to the simulation's current time. */
  read(sim: Simulation, corr: number): readonly TraceRecord[] {
    const now = sim.now;
    if (sim !== this.sim || corr !== this.corr || logKey(sim) !== this.log)
      return this.reload(sim, corr);
    if (
      now === this.now &&
      sim.traceCount === this.count &&
      this.keyAt(sim, this.count - 1) === this.lastKey
    )
      return this.records;
    const ring = sim.traceRing;
    const count = sim.traceCount;
    if (now < this.now || count < this.count) {
      // Back in time: the same past, shorter. The ring was restored with the state.
      const cut = this.records.findIndex((r) => r.t > now);
      if (cut >= 0) {
        this.records = this.records.slice(0, cut);
        this.version++;
      }
      this.count = count;
      this.now = now;
      this.lastKey = this.keyAt(sim, count - 1);
      // Records at `now` written since (a step) are picked up by the next read.
      return this.records;
    }
    if (count - this.count > ring.capacity || this.keyAt(sim, this.count - 1) !== this.lastKey) {
      return this.reload(sim, corr);
    }
    let added = false;
    for (let k = this.count; k < count; k++) {
      const i = k % ring.capacity;
      if (ring.corr[i] !== corr) continue;
      const r = sim.traceRecord(k);
      if (r) {
        this.records.push(r);
        added = true;
      }
    }
    if (added) this.version++;
    this.count = count;
    this.now = now;
    this.lastKey = this.keyAt(sim, count - 1);
    return this.records;
  }

  /** Forget everything (the next read re-creates). */
  clear(): void {
    this.sim = null;
    this.records = [];
    this.version++;
  }

  private reload(sim: Simulation, corr: number): readonly TraceRecord[] {
    this.sim = sim;
    this.corr = corr;
    this.records = corr > 0 ? sim.orderRecords(corr) : [];
    this.count = sim.traceCount;
    this.now = sim.now;
    this.lastKey = this.keyAt(sim, this.count - 1);
    this.log = logKey(sim);
    this.reloads++;
    this.version++;
    return this.records;
  }

  private keyAt(sim: Simulation, index: number): string {
    if (index < 0) return 'none';
    const r = sim.traceRecord(index);
    return r ? `${r.t}:${r.kind}:${r.msg}:${r.corr}` : 'gone';
  }
}

function logKey(sim: Simulation): string {
  const log = sim.interventions;
  return `${log.length}:${JSON.stringify(log[log.length - 1] ?? null)}`;
}
