import { describe, expect, it } from 'vitest';
import {
  type Deque,
  dequeAt,
  dequeCreate,
  dequePopFront,
  dequePushBack,
  dequePushFront,
  dequeRemoveAt,
} from './state';
import { createStream, nextUint32 } from './rng';

function contents(d: Deque<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.size; i++) out.push(dequeAt(d, i) as number);
  return out;
}

describe('deque', () => {
  it('keeps the order of an array through wrap-arounds, growth and removals', () => {
    const rng = createStream(11, 'deque');
    const d = dequeCreate<number>();
    const model: number[] = [];
    for (let step = 0; step < 20_000; step++) {
      const op = nextUint32(rng) % 10;
      // Grow to a few hundred items, then drain, so the head wraps at every capacity.
      const growing = step % 4000 < 2500;
      if (op < (growing ? 5 : 2)) {
        dequePushBack(d, step);
        model.push(step);
      } else if (op < (growing ? 7 : 3)) {
        dequePushFront(d, step);
        model.unshift(step);
      } else if (op < 9) {
        expect(dequePopFront(d)).toBe(model.shift());
      } else if (model.length > 0) {
        const i = nextUint32(rng) % model.length;
        expect(dequeRemoveAt(d, i)).toBe(model.splice(i, 1)[0]);
      }
      expect(d.size).toBe(model.length);
    }
    expect(contents(d)).toEqual(model);
    expect(dequeAt(d, d.size)).toBeUndefined();
  });
});
