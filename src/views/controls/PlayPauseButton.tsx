import { usePlayground } from '../../store/context';

/** The one Play/Pause toggle: its accessible name is the action it will take. */
export function PlayPauseButton() {
  const playing = usePlayground((s) => s.playing);
  const togglePlay = usePlayground((s) => s.togglePlay);
  return (
    <button type="button" className="button primary play" onClick={togglePlay} aria-keyshortcuts="Space">
      <span aria-hidden="true" className="icon">
        {playing ? '❚❚' : '▶'}
      </span>
      {playing ? 'Pause' : 'Play'}
    </button>
  );
}
