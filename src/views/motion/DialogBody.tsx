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
