import { useId, useRef } from 'react';
import { DialogBody } from '../motion/DialogBody';
import { useModalDialog } from './useModalDialog';
import { actions } from '../../store/actions';
import { usePlayground, usePlaygroundApi } from '../../store/context';

/** Lists every action of the registry with its key, and which digit switches which service. */
export function ShortcutsDialog() {
  const open = usePlayground((s) => s.ui.shortcutsOpen);
  const pg = usePlaygroundApi();
  const services = usePlayground((s) => s.scenario.services);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useModalDialog(ref, open);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onClose={() => pg.ui.setShortcutsOpen(false)}
    >
      <DialogBody>
        <h2 id={titleId}>Keyboard shortcuts</h2>
        <table className="shortcuts">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {actions.map((a) => (
              <tr key={a.name}>
                <td>
                  <kbd>{a.keyLabel}</kbd>
                </td>
                <td>{a.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Services in this scenario</h3>
        <ul className="service-keys">
          {services.slice(0, 9).map((svc, i) => (
            <li key={svc.id}>
              <kbd>{i + 1}</kbd> {svc.name} outage
            </li>
          ))}
        </ul>
        <form method="dialog">
          <button type="submit" className="button primary">
            Close
          </button>
        </form>
      </DialogBody>
    </dialog>
  );
}
