/**
 * The event queue: a binary min-heap on a plain array, ordered by `(at, seq)`.
 *
 * `seq` is the insertion counter, so two events at the same millisecond always run in
 * the order they were scheduled: ties never depend on heap internals. Functions
 * operate on plain data so the heap is part of a `structuredClone` checkpoint.
 */

/** Anything that can be scheduled: a time and an insertion number. */
export interface Timed {
  at: number;
  seq: number;
}

function before(a: Timed, b: Timed): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Add an item. O(log n). */
export function heapPush<T extends Timed>(heap: T[], item: T): void {
  let i = heap.length;
  heap.push(item);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent] as T;
    if (!before(item, p)) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = item;
}

/** Remove and return the earliest item. O(log n). */
export function heapPop<T extends Timed>(heap: T[]): T | undefined {
  const n = heap.length;
  if (n === 0) return undefined;
  const top = heap[0] as T;
  const last = heap.pop() as T;
  if (n > 1) {
    const size = n - 1;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      let c = heap[left] as T;
      if (right < size) {
        const r = heap[right] as T;
        if (before(r, c)) {
          child = right;
          c = r;
        }
      }
      if (!before(c, last)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
  }
  return top;
}

/**
 * Keep only the items `keep` accepts and restore heap order in place (bottom-up, O(n)).
 * Pop order is unchanged for the items kept: it depends on `(at, seq)` alone.
 */
export function heapRetain<T extends Timed>(heap: T[], keep: (item: T) => boolean): void {
  let n = 0;
  for (let i = 0; i < heap.length; i++) {
    const item = heap[i] as T;
    if (keep(item)) heap[n++] = item;
  }
  heap.length = n;
  for (let i = (n >> 1) - 1; i >= 0; i--) {
    const item = heap[i] as T;
    let at = i;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= n) break;
      let child = left;
      let c = heap[left] as T;
      if (left + 1 < n) {
        const r = heap[left + 1] as T;
        if (before(r, c)) {
          child = left + 1;
          c = r;
        }
      }
      if (!before(c, item)) break;
      heap[at] = c;
      at = child;
    }
    heap[at] = item;
  }
}

/** The earliest item, left in place. */
export function heapPeek<T extends Timed>(heap: readonly T[]): T | undefined {
  return heap[0];
}
