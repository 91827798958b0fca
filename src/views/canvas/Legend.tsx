import type { Side } from '../../run/modes';
import { usePlayground } from '../../store/context';
import { BAND_MIN_SPEED } from './flows';

/**
 * What each token shape means. The shapes match the token layer's drawing: meaning never
 * rests on colour alone.
 */
const ITEMS = [
  { key: 'request', label: 'request', sides: ['chain', 'event', 'orchestration'] },
  { key: 'response', label: 'answer', sides: ['chain', 'event', 'orchestration'] },
  { key: 'failure', label: 'failed', sides: ['chain', 'event', 'orchestration'] },
  { key: 'event', label: 'event', sides: ['event'] },
  { key: 'command', label: 'command', sides: ['orchestration'] },
  { key: 'reply', label: 'reply', sides: ['orchestration'] },
  { key: 'retry', label: 'retry', sides: ['event', 'orchestration'] },
  { key: 'dead', label: 'dead letter', sides: ['event', 'orchestration'] },
  { key: 'compensation', label: 'compensation', sides: ['event', 'orchestration'] },
] as const;

function Glyph({ kind }: { kind: (typeof ITEMS)[number]['key'] }) {
  switch (kind) {
    case 'request':
      return <circle cx="6" cy="6" r="4" className="g-request" />;
    case 'response':
      return <circle cx="6" cy="6" r="3.5" className="g-response" />;
    case 'failure':
      return <path d="M2.5 2.5 L9.5 9.5 M9.5 2.5 L2.5 9.5" className="g-failure" />;
    case 'event':
      return <rect x="2" y="2" width="8" height="8" rx="2" className="g-event" />;
    case 'retry':
      return <rect x="2" y="2" width="8" height="8" rx="2" className="g-retry" />;
    case 'dead':
      return <path d="M6 1.5 L10.5 10 L1.5 10 Z" className="g-dead" />;
    case 'compensation':
      return <path d="M6 1 L11 6 L6 11 L1 6 Z" className="g-compensation" />;
    case 'command':
      return <path d="M2 1.5 L10.5 6 L2 10.5 Z" className="g-event" />;
    case 'reply':
      return <rect x="2.5" y="2.5" width="7" height="7" rx="2" className="g-reply" />;
  }
}

/**
 * `saga`: the run has compensation events (only then is their shape listed). Above 2x,
 * where busy edges become bands (flows.ts), one more item says what a band is.
 */
export function Legend({ side, saga = false }: { side: Side; saga?: boolean }) {
  const bands = usePlayground((s) => s.speed > BAND_MIN_SPEED);
  return (
    <ul className="legend" aria-label="Token shapes">
      {ITEMS.filter(
        (i) => (i.sides as readonly string[]).includes(side) && (i.key !== 'compensation' || saga),
      ).map((i) => (
        <li key={i.key}>
          <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
            <Glyph kind={i.key} />
          </svg>
          {i.label}
        </li>
      ))}
      {bands && (
        <li key="band">
          <svg width="18" height="12" viewBox="0 0 18 12" aria-hidden="true">
            <path d="M1 6 H17" className="g-band" />
          </svg>
          busy edge (rate per s)
        </li>
      )}
    </ul>
  );
}
