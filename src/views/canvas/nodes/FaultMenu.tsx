/**
 * The popover beside a service's outage switch: slow / flaky / crash-before-ack /
 * crash-before-publish and its size. Every change is an action at the current simulated moment (`apply` with a
 * `fault` or `scale` action). Rendered in a portal on <body> so the canvas's zoom and
 * clipping do not shrink or cut it.
 */
import { type RefObject, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { usePlayground, usePlaygroundApi } from '../../../store/context';
import { IdempotentSwitch } from '../../broker/controls';

export interface FaultMenuSettings {
  slowFactor: number;
  errorRate: number;
  crashRate: number;
  publishCrashRate: number;
  replicas: number;
  concurrency: number;
}

interface Props {
  anchor: RefObject<HTMLButtonElement | null>;
  label: string;
  serviceId: string;
  consumes: boolean;
  /** It publishes the events of the work it does for a request (the entry service in event fan-out). */
  publishes: boolean;
  settings: FaultMenuSettings;
  onClose(): void;
}

const SLOW = [1, 2, 4, 8, 16];
const RATES = [0, 0.1, 0.2, 0.5, 0.9, 1];
/** Small rates first: the dual write is a rare crash that still loses orders. */
const PUBLISH_RATES = [0, 0.05, 0.1, 0.2, 0.5, 1];
const REPLICAS = [1, 2, 3, 4, 6, 8];
const WORKERS = [1, 2, 4, 8, 16, 32];

/** The offered choices, plus the current value if a scenario set something else. */
const withCurrent = (choices: number[], current: number) =>
  choices.includes(current) ? choices : [...choices, current].sort((a, b) => a - b);

const pct = (x: number) => (x === 0 ? 'off' : `${Math.round(x * 100)}%`);

export function FaultMenu({
  anchor,
  label,
  serviceId,
  consumes,
  publishes,
  settings,
  onClose,
}: Props) {
  const pg = usePlaygroundApi();
  const act = (problem: Promise<string | null>) => void problem.then((p) => p && pg.ui.setError(p));
  const setFault = (
    service: string,
    patch: {
      slowFactor?: number;
      errorRate?: number;
      crashRate?: number;
      publishCrashRate?: number;
    },
  ) => act(pg.apply({ kind: 'fault', service, patch }));
  const scale = (service: string, replicas: number, concurrency: number) =>
    act(pg.apply({ kind: 'scale', service, replicas, concurrency }));
  // Crash-before-ack only means something where a consumer reads a queue.
  const eventShown = usePlayground((s) => s.runs.event !== undefined);
  const panel = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  const uid = useId();

  useLayoutEffect(() => {
    const rect = anchor.current?.getBoundingClientRect();
    const w = 260;
    if (!rect) return setPos({ top: 80, left: 80 });
    const left = Math.max(8, Math.min(window.innerWidth - w - 8, rect.right - w));
    const below = rect.bottom + 6;
    const top = below + 300 > window.innerHeight ? Math.max(8, rect.top - 306) : below;
    setPos({ top, left });
  }, [anchor]);

  // Then, measured: a menu taller than the 300 px guessed (44 px rows on a touch screen)
  // moves up until its bottom is on screen, never above the top.
  useLayoutEffect(() => {
    const box = panel.current?.getBoundingClientRect();
    if (!box || !pos) return;
    const overflow = box.bottom - (window.innerHeight - 8);
    if (overflow > 0.5 && pos.top > 8)
      setPos({ top: Math.max(8, pos.top - overflow), left: pos.left });
  }, [pos]);

  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('select')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    const onPointer = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!panel.current?.contains(t) && !anchor.current?.contains(t)) onClose();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('pointerdown', onPointer, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onPointer, true);
    };
  }, [anchor, onClose]);

  const field = (name: string) => `${uid}-${name}`;
  return createPortal(
    <div
      ref={panel}
      role="dialog"
      aria-label={`${label} fault settings`}
      className="fault-menu"
      style={pos ? { top: pos.top, left: pos.left } : { visibility: 'hidden' }}
      // Keep keys typed here away from the page's shortcuts (space, digits...).
      onKeyDown={(e) => e.stopPropagation()}
    >
      <p className="fault-menu-title">{label}</p>
      <label htmlFor={field('slow')}>Slow (latency ×)</label>
      <select
        id={field('slow')}
        value={settings.slowFactor}
        onChange={(e) => setFault(serviceId, { slowFactor: Number(e.target.value) })}
      >
        {withCurrent(SLOW, settings.slowFactor).map((x) => (
          <option key={x} value={x}>
            {x === 1 ? 'off' : `×${x}`}
          </option>
        ))}
      </select>
      <label htmlFor={field('flaky')}>Flaky (share of work that fails)</label>
      <select
        id={field('flaky')}
        value={settings.errorRate}
        onChange={(e) => setFault(serviceId, { errorRate: Number(e.target.value) })}
      >
        {withCurrent(RATES, settings.errorRate).map((x) => (
          <option key={x} value={x}>
            {pct(x)}
          </option>
        ))}
      </select>
      {consumes && eventShown && (
        <>
          <label htmlFor={field('crash')}>Crash before ack (event fan-out)</label>
          <select
            id={field('crash')}
            value={settings.crashRate}
            onChange={(e) => setFault(serviceId, { crashRate: Number(e.target.value) })}
          >
            {withCurrent(RATES, settings.crashRate).map((x) => (
              <option key={x} value={x}>
                {pct(x)}
              </option>
            ))}
          </select>
          <IdempotentSwitch serviceId={serviceId} label={label} />
        </>
      )}
      {publishes && (
        <>
          <label
            htmlFor={field('crash-publish')}
            title="Saves the order, then dies before publishing its event (after-commit: the event is lost; before-commit: published for an order never saved; outbox: the relay dies before marking the row, and sends it again)"
          >
            Crash before publish (the dual write)
          </label>
          <select
            id={field('crash-publish')}
            value={settings.publishCrashRate}
            onChange={(e) => setFault(serviceId, { publishCrashRate: Number(e.target.value) })}
          >
            {withCurrent(PUBLISH_RATES, settings.publishCrashRate).map((x) => (
              <option key={x} value={x}>
                {pct(x)}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor={field('replicas')}>Replicas</label>
      <select
        id={field('replicas')}
        value={settings.replicas}
        onChange={(e) => scale(serviceId, Number(e.target.value), settings.concurrency)}
      >
        {withCurrent(REPLICAS, settings.replicas).map((x) => (
          <option key={x} value={x}>
            {x}
          </option>
        ))}
      </select>
      <label htmlFor={field('workers')}>Workers per replica</label>
      <select
        id={field('workers')}
        value={settings.concurrency}
        onChange={(e) => scale(serviceId, settings.replicas, Number(e.target.value))}
      >
        {withCurrent(WORKERS, settings.concurrency).map((x) => (
          <option key={x} value={x}>
            {x}
          </option>
        ))}
      </select>
      <button type="button" className="fault-menu-close" onClick={onClose}>
        Done
      </button>
    </div>,
    document.body,
  );
}
