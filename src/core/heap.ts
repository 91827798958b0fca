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

/** The earliest item, left in place. */
export function heapPeek<T extends Timed>(heap: readonly T[]): T | undefined {
  return heap[0];
}
