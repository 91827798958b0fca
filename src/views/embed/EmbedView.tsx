/**
 * Embed mode (`?embed=1`): for an iframe in slides or a course page. The canvas and the
 * few controls a viewer needs (play, step, reset, the clock), and a link out to the full
 * playground with the same setup at the same moment. Nothing is saved from an embed.
 */
import './embed.css';
import { shareLink } from '../../share/writeLink';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { MODE_LABELS, sidesOf } from '../../run/modes';
import { setupFromState } from '../../store/share';
import { PlayPauseButton } from '../controls/PlayPauseButton';
import { SimClock } from '../controls/SimClock';
import { useKeyboardShortcuts } from '../controls/useKeyboardShortcuts';
import { CanvasSlot } from '../layout/slots';
import { pageAddress } from '../share/pageAddress';

export function EmbedView() {
  useKeyboardShortcuts();
  const pg = usePlaygroundApi();
  const name = usePlayground((s) => s.scenario.name);
  const mode = usePlayground((s) => s.mode);
  const step = () => void pg.playback.step();
  const reset = () => void pg.playback.reset();
  const error = usePlayground((s) => s.error);
  const fullLink = () => shareLink(setupFromState(pg.getState()), pageAddress()).url;

  return (
    <div className="embed">
      <header className="embed-bar">
        <h1 className="embed-title">
          Fanout <span className="embed-scenario">— {name}</span>
        </h1>
        <PlayPauseButton />
        <button type="button" className="button" onClick={step} aria-keyshortcuts=".">
          Step
        </button>
        <button type="button" className="button" onClick={reset} aria-keyshortcuts="r">
          Reset
        </button>
        <SimClock />
        <a
          className="embed-out"
          href={fullLink()}
          target="_blank"
          rel="noopener"
          // The link follows the run: it is rebuilt at the moment it is used.
          onClick={(e) => {
            e.currentTarget.href = fullLink();
          }}
          onFocus={(e) => {
            e.currentTarget.href = fullLink();
          }}
        >
          Open in the full playground<span className="sr-only"> (opens in a new tab)</span> ↗
        </a>
      </header>
      {error && (
        <p className="embed-error" role="alert">
          {error}
        </p>
      )}
      <main className={`embed-stage stage sides-${sidesOf(mode).length}`}>
        {sidesOf(mode).map((side) => (
          <section
            key={side}
            className="stage-side"
            aria-label={MODE_LABELS[side]}
            data-side={side}
          >
            <h2 className="stage-title">{MODE_LABELS[side]}</h2>
            <div className="stage-canvas">
              <CanvasSlot side={side} />
            </div>
          </section>
        ))}
      </main>
    </div>
  );
}
