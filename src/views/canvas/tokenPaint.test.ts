import { describe, expect, it } from 'vitest';
import { packPicture, UnpackedPicture } from './tokenPaint';
import { SHAPE_COUNT, Shape } from './tokenShapes';
import { TokenFrame } from './tokens';

describe('a picture handed to the token painter', () => {
  it('arrives as it was placed: positions, shapes, counts per shape and the view', () => {
    const frame = new TokenFrame();
    frame.add(10.5, 20.25, Shape.Event);
    frame.add(-3, 400, Shape.Request);
    frame.add(7, 8, Shape.Event);
    const view = { tx: 12, ty: -4, zoom: 0.75, radius: 3.5 };
    const got = new UnpackedPicture().read(packPicture(frame, view));
    expect(got.view).toEqual(view);
    expect(got.count).toBe(3);
    expect([...got.x.slice(0, 3)]).toEqual([10.5, -3, 7]);
    expect([...got.y.slice(0, 3)]).toEqual([20.25, 400, 8]);
    expect([...got.shape.slice(0, 3)]).toEqual([Shape.Event, Shape.Request, Shape.Event]);
    expect([...got.perShape]).toEqual([...frame.perShape]);
  });

  it('grows for a large picture and reads a smaller one after it', () => {
    const big = new TokenFrame();
    for (let i = 0; i < 3000; i++) big.add(i, -i, Shape.Retry);
    const into = new UnpackedPicture();
    expect(into.read(packPicture(big, { tx: 0, ty: 0, zoom: 1, radius: 4 })).count).toBe(3000);
    expect(into.x[2999]).toBe(2999);
    const empty = new TokenFrame();
    expect(into.read(packPicture(empty, { tx: 0, ty: 0, zoom: 1, radius: 4 })).count).toBe(0);
    expect([...into.perShape]).toEqual(new Array(SHAPE_COUNT).fill(0));
  });
});

describe('bands handed to the token painter', () => {
  it('arrive with their kind, rate, width, label and outline, after the tokens', () => {
    const frame = new TokenFrame();
    frame.add(1, 2, Shape.Retry);
    const b = frame.addBand(7 * 65536 + 9, Shape.DeadLetter, 2.5, 6);
    frame.addBandPoint(b, 0, 0, 0);
    frame.addBandPoint(b, 10, 5, 1);
    frame.setBandLabel(b, 5, -9);
    const c = frame.addBand(3, Shape.Event, 40, 11);
    frame.addBandPoint(c, 100, 0, 0);
    frame.bandShift = 7.5;
    const got = new UnpackedPicture().read(
      packPicture(frame, { tx: 0, ty: 0, zoom: 1, radius: 4 }),
    );
    expect(got.count).toBe(1);
    expect(got.bandCount).toBe(2);
    expect(got.bandShift).toBe(7.5);
    expect([...got.bandShape]).toEqual([Shape.DeadLetter, Shape.Event]);
    expect([...got.bandRate]).toEqual([2.5, 40]);
    expect([...got.bandWidth]).toEqual([6, 11]);
    expect([...got.bandFirst]).toEqual([0, 2]);
    expect([...got.bandPoints]).toEqual([2, 1]);
    expect([...got.bandLabel].slice(0, 2)).toEqual([5, -9]);
    expect([...got.bandXY]).toEqual([0, 0, 0, 10, 5, 1, 100, 0, 0]);
  });
});
