import { m } from 'framer-motion';
import type { ReactNode } from 'react';

/** A dialog's content, arriving: it grows a little from where it will stand. */
export function DialogBody({
  children,
  className = '',
}: {
  children: ReactNode;
  className?: string;
}) {
  return (
    <m.div
      className={`dialog-body ${className}`.trim()}
      initial={{ opacity: 0, scale: 0.97 }}
      animate={{ opacity: 1, scale: 1 }}
    >
      {children}
    </m.div>
  );
}

/** A dialog's last lines: what its last action did (read out), and Close. */
export function DialogFooter({
  status,
  primary = false,
}: {
  status: string | null;
  primary?: boolean;
}) {
  return (
    <>
      <p className="hint" role="status">
        {status}
      </p>
      <form method="dialog" className="share-close">
        <button type="submit" className={primary ? 'button primary' : 'button'}>
          Close
        </button>
      </form>
    </>
  );
}
