/**
 * The Edit toggle of the top bar: the canvas becomes an editor of the system (the run
 * pauses); pressed again, the edited system runs from t = 0 with the same seed.
 */
import { usePlaygroundApi } from '../../store/context';
import { useEditor } from './useEditor';

export function EditButton() {
  const pg = usePlaygroundApi();
  const editing = useEditor((s) => s.editing);
  const kept = useEditor((s) => s.kept && !s.editing);
  return (
    <button
      type="button"
      className="button"
      aria-pressed={editing}
      aria-keyshortcuts="E"
      title={
        editing
          ? 'Leave Edit mode: your system runs from t = 0 (E)'
          : 'Edit the system on the canvas: the run pauses (E)'
      }
      onClick={() => void pg.editor.toggle()}
    >
      <span className="icon" aria-hidden="true">
        ✎
      </span>
      Edit
      {kept && <span className="muted">(draft kept)</span>}
    </button>
  );
}
