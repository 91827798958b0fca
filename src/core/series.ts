/**
 * Reading a run's time series ring by column. Its own module, apart from the engine: the
 * page reads the series its worker sends with this, and must not load the engine to do so.
 */

/** A time series: `column(name)` gives its values oldest first. */
export interface SeriesView {
  columns: readonly string[];
  everyMs: number;
  length: number;
  column(name: string): number[];
}

/** A time series ring (rows of `columns.length` values) read by column, oldest row first. */
export function seriesView(s: {
  columns: readonly string[];
  everyMs: number;
  capacity: number;
  count: number;
  data: Float64Array;
}): SeriesView {
  const cols = s.columns.length;
  const length = Math.min(s.count, s.capacity);
  const first = s.count - length;
  return {
    columns: s.columns,
    everyMs: s.everyMs,
    length,
    column: (name: string) => {
      const c = s.columns.indexOf(name);
      if (c < 0) throw new Error(`no series column "${name}"`);
      const out: number[] = new Array(length);
      for (let k = 0; k < length; k++)
        out[k] = s.data[((first + k) % s.capacity) * cols + c] as number;
      return out;
    },
  };
}
