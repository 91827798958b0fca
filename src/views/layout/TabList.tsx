/**
 * Tabs after the WAI-ARIA pattern: one tab in the Tab order (roving tabindex), arrow keys,
 * Home and End move between tabs and select them.
 */
import { type KeyboardEvent, useRef } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: string;
}

export interface TabListProps<K extends string> {
  /** Accessible name of the tab list. */
  label: string;
  /** Prefix of the tab ids: a tab's id is `${idPrefix}-${key}`. */
  idPrefix: string;
  /** Id of the panel the tabs control. */
  panelId: string;
  items: readonly TabItem<K>[];
  selected: K;
  onSelect(key: K): void;
  className?: string;
}

export function tabId(idPrefix: string, key: string): string {
  return `${idPrefix}-${key}`;
}

export function TabList<K extends string>({
  label,
  idPrefix,
  panelId,
  items,
  selected,
  onSelect,
  className,
}: TabListProps<K>) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = items.findIndex((item) => item.key === selected);
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % items.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    const item = items[next];
    if (!item) return;
    e.preventDefault();
    onSelect(item.key);
    refs.current[item.key]?.focus();
  };

  return (
    <div
      role="tablist"
      aria-label={label}
      className={className ? `tabs ${className}` : 'tabs'}
      onKeyDown={onKeyDown}
    >
      {items.map((item) => {
        const active = item.key === selected;
        return (
          <button
            key={item.key}
            ref={(el) => {
              refs.current[item.key] = el;
            }}
            type="button"
            role="tab"
            id={tabId(idPrefix, item.key)}
            aria-selected={active}
            aria-controls={panelId}
            tabIndex={active ? 0 : -1}
            className="tab"
            onClick={() => onSelect(item.key)}
          >
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
