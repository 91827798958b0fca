import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heapPeek, heapPop, heapPush, heapRetain } from './heap';

interface Item {
  at: number;
  seq: number;
}

describe('event heap', () => {
  it('pops in time order, and in insertion order for equal times', () => {
    const heap: Item[] = [];
    const times = [5, 1, 5, 3, 1, 5, 0];
    times.forEach((at, seq) => {
      heapPush(heap, { at, seq });
    });
    const out: Item[] = [];
    for (let x = heapPop(heap); x; x = heapPop(heap)) out.push(x);
    expect(out.map((x) => [x.at, x.seq])).toEqual([
      [0, 6],
      [1, 1],
      [1, 4],
      [3, 3],
      [5, 0],
      [5, 2],
      [5, 5],
    ]);
  });

  it('peek shows the next item without removing it', () => {
    const heap: Item[] = [];
    expect(heapPeek(heap)).toBeUndefined();
    heapPush(heap, { at: 2, seq: 0 });
    heapPush(heap, { at: 1, seq: 1 });
    expect(heapPeek(heap)).toEqual({ at: 1, seq: 1 });
    expect(heap.length).toBe(2);
  });

  it('matches a stable sort for any interleaving of pushes and pops', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(-1)), { maxLength: 300 }),
        (ops) => {
          const heap: Item[] = [];
          const model: Item[] = [];
          let seq = 0;
          for (const op of ops) {
            if (op < 0) {
              model.sort((a, b) => a.at - b.at || a.seq - b.seq);
              expect(heapPop(heap)).toEqual(model.shift());
            } else {
              const item = { at: op, seq: seq++ };
              heapPush(heap, item);
              model.push(item);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('heapRetain', () => {
  it('drops what it is told to and pops the rest in (at, seq) order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean())),
        fc.integer({ min: 0, max: 40 }),
        (items, pops) => {
          const heap: (Item & { dead: boolean })[] = [];
          items.forEach(([at, dead], seq) => {
            heapPush(heap, { at, seq, dead });
          });
          for (let i = 0; i < pops; i++) heapPop(heap);
          const expected = [...heap]
            .filter((x) => !x.dead)
            .sort((a, b) => a.at - b.at || a.seq - b.seq);
          heapRetain(heap, (x) => !x.dead);
          const out: Item[] = [];
          for (let x = heapPop(heap); x; x = heapPop(heap)) out.push(x);
          expect(out).toEqual(expected);
        },
      ),
    );
  });
});
