/**
 * When dead letters appeared in a run, for the timeline's markers.
 *
 * The simulation samples its total of dead letters every `sampleEveryMs` (the metrics
 * series). This log reads the samples as the run covers new ground and notes each
 * sample where the total rose. Going back in time keeps what was seen (the timeline still
 * covers it); a fork drops what lay after the fork point.
 */
import type { Simulation } from '../core';
import type { DeadLetterMark } from './markers';

export class DeadLetterLog {
  private marks: DeadLetterMark[] = [];
  /** Time of the newest sample read. */
  private readTo = Number.NEGATIVE_INFINITY;
  /** The dead-letter total at that sample. */
  private total = 0;
  /** Bumped when `marks` changes. */
  version = 0;

  get list(): readonly DeadLetterMark[] {
    return this.marks;
  }

  /** Read the samples of `sim` newer than any read so far. */
  collect(sim: Simulation): void {
    if (sim.now <= this.readTo) return;
    const series = sim.series();
    if (series.length === 0) return;
    const times = series.column('t');
    const last = times[times.length - 1] as number;
    if (last <= this.readTo) return;
    const dead = series.column('dead_lettered');
    let added = false;
    for (let k = 0; k < times.length; k++) {
      const t = times[k] as number;
      if (t <= this.readTo) continue;
      const total = dead[k] as number;
      if (total > this.total) {
        this.marks.push({ t, count: total - this.total });
        added = true;
      }
      this.total = total;
      this.readTo = t;
    }
    if (added) this.version++;
  }

  /**
   * The future after `sim.now` was discarded: forget its dead letters and continue from
   * the newest sample the (restored) simulation holds.
   */
  forkAt(sim: Simulation): void {
    const series = sim.series();
    const times = series.length > 0 ? series.column('t') : [];
    const dead = series.length > 0 ? series.column('dead_lettered') : [];
    const k = times.length - 1;
    this.readTo = k >= 0 ? (times[k] as number) : Number.NEGATIVE_INFINITY;
    this.total = k >= 0 ? (dead[k] as number) : 0;
    const kept = this.marks.filter((m) => m.t <= this.readTo);
    if (kept.length !== this.marks.length) {
      this.marks = kept;
      this.version++;
    }
  }

  clear(): void {
    this.marks = [];
    this.readTo = Number.NEGATIVE_INFINITY;
    this.total = 0;
    this.version++;
  }
}
