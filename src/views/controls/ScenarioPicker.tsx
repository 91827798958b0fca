import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { scenarioChoices } from '../../store/playground';

/**
 * A disclosure button that opens the list of built-in scenarios, each with its one-line
 * description (a native <select> cannot show those). Escape or a click outside closes it;
 * arrow keys move through the list.
 */
export function ScenarioPicker() {
  const current = usePlayground((s) => s.scenario.id);
  const name = usePlayground((s) => s.scenario.name);
  const pg = usePlaygroundApi();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    // Focus the current scenario so arrow keys start from there.
    root.current?.querySelector<HTMLButtonElement>('[aria-current="true"]')?.focus();
    const onPointerDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onFocusIn = (e: FocusEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('focusin', onFocusIn);
    };
  }, [open]);

  const close = () => {
    setOpen(false);
    trigger.current?.focus();
  };

  const onListKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const items = [...(root.current?.querySelectorAll<HTMLButtonElement>('.picker-option') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    let next: HTMLButtonElement | undefined;
    if (e.key === 'ArrowDown') next = items[(index + 1) % items.length];
    else if (e.key === 'ArrowUp') next = items[(index - 1 + items.length) % items.length];
    else if (e.key === 'Home') next = items[0];
    else if (e.key === 'End') next = items[items.length - 1];
    else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
      return;
    }
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };

  return (
    <div className="picker" ref={root}>
      <button
        ref={trigger}
        type="button"
        className="button picker-trigger"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="picker-caption">Scenario:</span>{' '}
        <span className="picker-name">{name}</span>
        <span aria-hidden="true" className="caret">
          ▾
        </span>
      </button>
      <ul
        id={listId}
        className="picker-list"
        aria-label="Built-in scenarios"
        hidden={!open}
        onKeyDown={onListKeyDown}
      >
        {scenarioChoices.map((choice) => (
          <li key={choice.id}>
            <button
              type="button"
              className="picker-option"
              aria-current={choice.id === current ? 'true' : undefined}
              onClick={() => {
                if (choice.id !== current) void pg.loadScenario(choice.id);
                close();
              }}
            >
              <span className="picker-option-name">{choice.name}</span>
              <span className="picker-option-description">{choice.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
