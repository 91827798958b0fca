/**
 * The records of one followed order, kept up to date frame after frame without
 * re-running the simulation each time.
 *
 * The first read re-creates them with `Simulation.orderRecords(corr)` (a private re-run
 * from a checkpoint). After that each read takes only the records written since, through
 * `readTrace`. When the run's epoch changes, the cursor resets: after a seek back or a fork
 * at `now` the order's past up to `now` is unchanged (the engine is deterministic; a fork
 * changes only the future), so the trail is cut there; when records were missed going
 * forward, it is re-created.
 */
import type { Simulation } from '../core/simulation';
import type { TraceCursor, TraceRecord } from '../core/trace';

export class OrderTrail {
  private sim: Simulation | null = null;
  private corr = 0;
  private records: TraceRecord[] = [];
  private cursor: TraceCursor | null = null;
  /** Simulated time at the last read. */
  private now = -1;
  /** Bumped whenever `records` changes: views compare it to skip work. */
  version = 0;
  /** How often the order was re-created from a checkpoint (tests). */
  reloads = 0;

  /** The order's records up to the simulation's current time. */
  read(sim: Simulation, corr: number): readonly TraceRecord[] {
    if (sim !== this.sim || corr !== this.corr) return this.reload(sim, corr);
    let reset = false;
    const added: TraceRecord[] = [];
    const read = sim.readTrace(
      this.cursor,
      (row) => {
        if (row.corr === corr) added.push(row.record());
      },
      () => {
        reset = true;
      },
    );
    if (reset) {
      // Forward with records missed: re-create. Back (or a fork here): the past is the same.
      if (sim.now > this.now) return this.reload(sim, corr);
      const now = sim.now;
      const kept = this.records.filter((r) => r.t <= now);
      // The ring still holds the records at `now` written by the restored run: take them
      // from there, so what happened at this very millisecond is neither lost nor doubled.
      const atNow = added.filter((r) => r.t === now);
      this.records = [...kept.filter((r) => r.t < now), ...atNow];
      this.cursor = read.cursor;
      this.now = now;
      this.version++;
      return this.records;
    }
    this.cursor = read.cursor;
    this.now = sim.now;
    if (added.length > 0) {
      this.records.push(...added);
      this.version++;
    }
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
    this.cursor = { epoch: sim.epoch, count: sim.traceCount };
    this.now = sim.now;
    this.reloads++;
    this.version++;
    return this.records;
  }
}
