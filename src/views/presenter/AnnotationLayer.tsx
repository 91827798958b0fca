/**
 * A transparent pen layer over the frozen page: draw with a mouse, a pen or a finger.
 * Strokes live only in this canvas; unmounting it (resume) clears them.
 */
import { useEffect, useRef } from 'react';

const INK = '#ff1f8f';
const WIDTH = 5;

export function AnnotationLayer() {
  const ref = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const size = () => {
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(window.innerWidth * dpr);
      canvas.height = Math.round(window.innerHeight * dpr);
      const ctx = canvas.getContext('2d');
      ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
    };
    size();
    window.addEventListener('resize', size);
    return () => window.removeEventListener('resize', size);
  }, []);

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const line = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.strokeStyle = INK;
    ctx.lineWidth = WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };

  return (
    <section aria-label="Annotation">
      <canvas
        ref={ref}
        className="annotation-layer"
        role="img"
        aria-label="Drawing layer over the frozen playground: draw with a mouse, pen or finger"
        data-testid="annotation-layer"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          const p = point(e);
          last.current = p;
          line(p, p);
        }}
        onPointerMove={(e) => {
          if (!last.current) return;
          const p = point(e);
          line(last.current, p);
          last.current = p;
        }}
        onPointerUp={() => {
          last.current = null;
        }}
        onPointerCancel={() => {
          last.current = null;
        }}
      />
    </section>
  );
}
