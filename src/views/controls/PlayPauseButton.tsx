import { usePlayground, usePlaygroundApi } from '../../store/context';

/** The one Play/Pause toggle: its accessible name is the action it will take. */
export function PlayPauseButton() {
  const playing = usePlayground((s) => s.playing);
  const pg = usePlaygroundApi();
  return (
    <button
      type="button"
      className="button primary play"
      onClick={() => pg.playback.toggle()}
      aria-keyshortcuts="Space"
    >
      <span aria-hidden="true" className="icon">
        {playing ? '❚❚' : '▶'}
      </span>
      {playing ? 'Pause' : 'Play'}
    </button>
  );
}
