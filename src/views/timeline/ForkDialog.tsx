/**
 * The question asked when a change is made in the past: the future after this moment
 * will be different. Discard it, or keep it as branch A to compare with the new one.
 */
import { useId, useRef } from 'react';
import { DialogBody } from '../motion/DialogBody';
import { useModalDialog } from '../controls/useModalDialog';
import { clockText } from '../../core/format';
import { usePlayground, usePlaygroundApi } from '../../store/context';

export function ForkDialog() {
  const pending = usePlayground((s) => s.pendingFork);
  const hasBranch = usePlayground((s) => s.branch !== null);
  const pg = usePlaygroundApi();
  const confirmFork = (choice: 'keep' | 'discard') =>
    void pg.timeTravel.confirmFork(choice).then((problem) => problem && pg.ui.setError(problem));
  const cancelFork = () => pg.timeTravel.cancelFork();
  const ref = useRef<HTMLDialogElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const textId = useId();

  // The choice that loses nothing has the focus.
  useModalDialog(ref, Boolean(pending), undefined, () => keepRef.current?.focus());

  const at = pending ? clockText(pending.at) : '';
  const head = pending ? clockText(pending.head) : '';
  return (
    <dialog
      ref={ref}
      className="dialog fork-dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      // Escape, or closing any other way, is Cancel.
      onClose={() => {
        if (pending) cancelFork();
      }}
    >
      <DialogBody>
        <h2 id={titleId}>Change the past?</h2>
        <p id={textId}>
          You are at <span className="num">{at}</span>, before the end of this run (
          <span className="num">{head}</span>). This discards what happened after{' '}
          <span className="num">{at}</span> — or keep it as branch A to compare the two outcomes
          side by side.
          {hasBranch && ' Keeping it replaces the branch A you have now.'}
        </p>
        <div className="fork-actions">
          <button
            ref={keepRef}
            type="button"
            className="button primary"
            onClick={() => confirmFork('keep')}
          >
            Keep it as branch A
          </button>
          <button type="button" className="button" onClick={() => confirmFork('discard')}>
            Discard what happened after {at}
          </button>
          <button type="button" className="button" onClick={cancelFork}>
            Cancel
          </button>
        </div>
      </DialogBody>
    </dialog>
  );
}
