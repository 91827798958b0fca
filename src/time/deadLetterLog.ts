/**
 * When dead letters appeared in a run, for the timeline's markers.
 *
 * The simulation samples its total of dead letters every `sampleEveryMs` (the metrics
 * series). This log reads the samples as the run covers new ground and notes each
 * sample where the total rose. It reads nothing twice: what it saw up to `head` (the
 * furthest moment of the current future) stays true after a seek back, and the timeline
 * still shows it. When the run's epoch changes (a seek back, a fork or a rebuild: see
 * `Simulation.epoch`) and the head is now behind what it read (a fork rewrote the
 * future), the marks past the head go and reading resumes from the samples the run holds.
 */
import type { Simulation } from '../core/simulation';
import type { DeadLetterMark } from './markers';

export class DeadLetterLog {
  private marks: DeadLetterMark[] = [];
  /** Time of the newest sample read. */
  private readTo = Number.NEGATIVE_INFINITY;
  /** The dead-letter total at that sample. */
  private total = 0;
  /** The run's epoch when this log last read it. */
  private epoch = -1;
  /** Bumped when `marks` changes. */
  version = 0;

  get list(): readonly DeadLetterMark[] {
    return this.marks;
  }

  /**
   * Read the samples of `sim` newer than any read so far. `head` is the furthest moment
   * of the run's current future: marks beyond it belong to a future that was rewritten.
   */
  collect(sim: Simulation, head: number): void {
    if (sim.epoch !== this.epoch) {
      this.epoch = sim.epoch;
      if (this.readTo > head) this.rewind(sim);
    }
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

  /** Forget what lay past the samples `sim` holds now and continue from its newest one. */
  private rewind(sim: Simulation): void {
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
    this.epoch = -1;
    this.version++;
  }
}
