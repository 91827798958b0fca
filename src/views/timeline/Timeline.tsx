/**
 * The timeline scrubber: the run so far, from 0 to the furthest moment reached, with
 * marks for faults, spikes, dead letters and the learner's own actions. Dragging it, or
 * the arrow keys, Page Up/Down, Home and End, shows the exact state at that moment on
 * every side (DESIGN §2: `seek` re-runs from a checkpoint).
 *
 * The thumb and the played part move every frame while playing, so they are written
 * straight from store subscriptions (like the clock); the marks re-render at most four
 * times a second.
 */
import './timeline.css';
import { type KeyboardEvent, memo, useEffect, useId, useLayoutEffect, useRef } from 'react';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { type Marker, thinMarkers, timelineMarkers } from '../../time/markers';
import { clockText } from '../../core/format';
import { figureBeat } from '../live/figureBeat';
import { useFigures } from '../live/useFigures';

/** Keyboard steps, in simulated ms. */
const SMALL_STEP = 100;
const LARGE_STEP = 1000;
const PAGE_STEP = 10_000;

/** Marks closer than this share of the timeline merge into one tick. */
const MERGE_FRACTION = 0.004;

export function describeMarkers(markers: readonly Marker[], limit = 10): string {
  if (markers.length === 0) return 'Nothing marked yet.';
  const dead = markers.filter((m) => m.kind === 'dead-letter');
  const others = markers.filter((m) => m.kind !== 'dead-letter');
  const lines = others.slice(0, limit).map((m) => `${clockText(m.t)} ${m.label}`);
  if (others.length > limit) lines.push(`and ${others.length - limit} more`);
  if (dead.length > 0) {
    const total = dead.reduce((n, m) => n + (m.count ?? 0), 0);
    lines.push(
      `${total} dead letter${total === 1 ? '' : 's'} from ${clockText(dead[0]?.t ?? 0)} to ${clockText(dead[dead.length - 1]?.t ?? 0)}`,
    );
  }
  return `Marked: ${lines.join('; ')}.`;
}

const MARK_ICON: Record<Marker['kind'], string> = {
  fault: '✕',
  spike: '▲',
  'dead-letter': '▼',
  action: '◆',
};

const sameMark = (a: Marker, b: Marker | undefined) =>
  b !== undefined &&
  a.kind === b.kind &&
  a.t === b.t &&
  a.end === b.end &&
  a.byLearner === b.byLearner &&
  a.label === b.label &&
  a.count === b.count;

function sameMarks(a: { markers: Marker[]; end: number }, b: { markers: Marker[]; end: number }) {
  return (
    a.end === b.end &&
    a.markers.length === b.markers.length &&
    a.markers.every((m, i) => sameMark(m, b.markers[i]))
  );
}

/** Is the clock before the end of the run so far? (Re-renders only when that flips.) */
function useInPast(): boolean {
  return usePlayground((s) => s.head - s.now >= 1);
}

export const Timeline = memo(function Timeline() {
  const pg = usePlaygroundApi();
  const store = pg.store;
  const inputRef = useRef<HTMLInputElement>(null);
  const playedRef = useRef<HTMLDivElement>(null);
  const endRef = useRef<HTMLSpanElement>(null);
  const pending = useRef<number | null>(null);
  const frame = useRef<number | null>(null);
  /** Where the last key sent the clock, until the engine has answered. */
  const aim = useRef<number | null>(null);
  const labelId = useId();
  const describedId = useId();
  const inPast = useInPast();
  // The marks move as the run grows (their place is a share of the whole): on the figure
  // beat, with the strip and the nodes, not with every frame.
  const { markers, end } = useFigures((s) => {
    const first = s.runs.chain ?? s.runs.event;
    return {
      markers: timelineMarkers(s.scenario, first?.interventions ?? [], s.deadLetterMarks, s.head),
      end: Math.max(1, s.head),
    };
  }, sameMarks);
  const shown = thinMarkers(markers, end * MERGE_FRACTION);

  // Thumb, value text and played part follow the clock without re-rendering. The thumb
  // and the played part move whenever they would move by a visible step (a thousandth of
  // the track); the value, its text and the end time are figures: they change on the
  // figure beat (a few times a second while playing, at once when paused or seeking).
  // At the live edge the thumb stays at the end, so nothing is written per frame there.
  useLayoutEffect(() => {
    let shownAt = Number.NaN;
    let shownMax = '';
    let shownText = '';
    let shownClip = '';
    // The end time's one text node: its characters change, the node stays.
    const endText = document.createTextNode('');
    endRef.current?.replaceChildren(endText);
    const write = () => {
      const { now, head } = store.getState();
      const last = Math.max(1, head);
      shownAt = Math.round((now / last) * 1000);
      const input = inputRef.current;
      if (input) {
        const max = String(Math.ceil(last));
        if (shownMax !== max) {
          shownMax = max;
          input.max = max;
        }
        const value = String(Math.round(now));
        // Never fight the learner's own drag: the input already shows where they are.
        if (input.value !== value && pending.current === null) input.value = value;
        const text = clockText(now);
        if (shownText !== text) {
          shownText = text;
          input.setAttribute('aria-valuetext', text);
        }
      }
      // Revealed by a clip, not resized: no layout, a repaint of the rail only.
      const clip = `inset(0 ${100 - shownAt / 10}% 0 0 round 4px)`;
      if (playedRef.current && shownClip !== clip) {
        shownClip = clip;
        playedRef.current.style.clipPath = clip;
      }
      const end = clockText(head);
      if (endText.data !== end) endText.data = end;
    };
    write();
    const offBeat = figureBeat(store).subscribe(write);
    const offStore = store.subscribe((s, prev) => {
      if (s.now === prev.now && s.runs === prev.runs && s.head === prev.head) return;
      if (Math.round((s.now / Math.max(1, s.head)) * 1000) !== shownAt) write();
    });
    // Replaying the past, the thumb travels: animation frames keep it smooth.
    const removeMotion = pg.playback.addMotion(() => {
      const { now, head } = store.getState();
      return head - now >= 1;
    });
    return () => {
      offBeat();
      offStore();
      removeMotion();
    };
  }, [pg, store]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  /** Seeks cost a re-run: at most one per animation frame while dragging. */
  const seekSoon = (t: number) => {
    pending.current = t;
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const target = pending.current;
      pending.current = null;
      if (target !== null) void pg.timeTravel.seek(target);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // The engine answers a seek later: a key pressed before it did goes on from where the
    // last key aimed, so five quick presses move five steps.
    const now = aim.current ?? store.getState().now;
    const last = store.getState().head;
    const small = e.shiftKey ? LARGE_STEP : SMALL_STEP;
    let target: number | null = null;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') target = now - small;
    else if (e.key === 'ArrowRight' || e.key === 'ArrowUp') target = now + small;
    else if (e.key === 'PageDown') target = now - PAGE_STEP;
    else if (e.key === 'PageUp') target = now + PAGE_STEP;
    else if (e.key === 'Home') target = 0;
    else if (e.key === 'End') target = last;
    if (target === null) return;
    // The native slider would move by its own step: seek exactly instead.
    e.preventDefault();
    const to = Math.min(last, Math.max(0, target));
    aim.current = to;
    void pg.timeTravel.seek(to).finally(() => {
      if (aim.current === to) aim.current = null;
    });
  };

  return (
    <div className="timeline" data-in-past={inPast ? 'true' : 'false'}>
      <label id={labelId} className="timeline-label" htmlFor={`${labelId}-input`}>
        Timeline
      </label>
      <span className="timeline-time num" aria-hidden="true">
        00:00.000
      </span>
      <div className="timeline-track">
        <div className="timeline-rail" aria-hidden="true">
          <div ref={playedRef} className="timeline-played" />
          {shown.map((m) => (
            <span
              key={`${m.kind}-${m.t}-${m.byLearner}`}
              className={`timeline-mark mark-${m.kind}${m.byLearner ? ' by-learner' : ''}${m.end !== undefined ? ' is-band' : ''}`}
              style={{
                left: `${(m.t / end) * 100}%`,
                width:
                  m.end !== undefined ? `${(Math.max(0, m.end - m.t) / end) * 100}%` : undefined,
              }}
              title={`${clockText(m.t)} ${m.label}`}
              data-kind={m.kind}
            >
              <span className="mark-icon">{MARK_ICON[m.kind]}</span>
            </span>
          ))}
        </div>
        <input
          ref={inputRef}
          id={`${labelId}-input`}
          className="timeline-input"
          type="range"
          min={0}
          step={1}
          defaultValue={0}
          aria-describedby={describedId}
          onPointerDown={() => {
            if (store.getState().playing) pg.playback.pause();
          }}
          onInput={(e) => seekSoon(Number(e.currentTarget.value))}
          onKeyDown={onKeyDown}
        />
      </div>
      <span ref={endRef} className="timeline-time num" aria-hidden="true" />
      <p id={describedId} className="sr-only">
        {describeMarkers(markers)}
      </p>
      {/* Always there, with a fixed width: the track must not jump when the text appears. */}
      <span className="timeline-note" role="status">
        {inPast && (
          <>
            Viewing the past
            <span className="sr-only">: Play replays it; a change starts a new future.</span>
          </>
        )}
      </span>
    </div>
  );
});
