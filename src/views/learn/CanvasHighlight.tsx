/**
 * Marks the nodes and edges the current step talks about. A stylesheet rule per item,
 * not a prop on the canvas: the canvas stays unaware of lessons, and the ids come from
 * validated content (lowercase ids), never from user input.
 */
import type { Highlight } from '../../content/learnSchema';
import { findWalkthrough } from '../../content/lessons';
import { findDrill, findQuestion } from '../../content/interview';
import { useLearn } from './LearnContext';

const ID = /^[a-z][a-z0-9-]*$/;

/** CSS for a highlight; ids that are not plain identifiers are skipped. */
export function highlightCss(h: Highlight): string {
  const scope = h.side ? `.architecture-canvas[data-side="${h.side}"] ` : '';
  const rules: string[] = [];
  for (const node of h.nodes) {
    if (!ID.test(node)) continue;
    rules.push(
      `${scope}.react-flow__node[data-id="${node}"] > .node { outline: 3px solid var(--learn-highlight); outline-offset: 3px; box-shadow: 0 0 0 6px var(--learn-highlight-soft); }`,
    );
  }
  for (const [from, to] of h.edges) {
    if (!ID.test(from) || !ID.test(to)) continue;
    rules.push(
      `${scope}.react-flow__edge[data-id="${from}->${to}"] .route { stroke: var(--learn-highlight); stroke-width: 4px; }`,
    );
  }
  return rules.join('\n');
}

function useActiveHighlight(): Highlight | undefined {
  const active = useLearn((s) => s.active);
  const step = useLearn((s) =>
    active?.kind === 'walkthrough' ? (s.walkthroughs[active.id]?.step ?? 0) : -1,
  );
  const prepared = useLearn((s) => s.preparedFor);
  if (!active) return undefined;
  if (active.kind === 'walkthrough') {
    // Only once the step's own setup is on screen: its ids name that scenario's nodes.
    if (prepared !== `${active.id}:${step}`) return undefined;
    return findWalkthrough(active.id)?.steps[step]?.highlight;
  }
  if (active.kind === 'demo') return findQuestion(active.id)?.demo.highlight;
  if (active.kind === 'drill' && active.point) {
    return findDrill(active.id)?.points.find((p) => p.id === active.point)?.demo.highlight;
  }
  return undefined;
}

export default function CanvasHighlight() {
  const highlight = useActiveHighlight();
  if (!highlight) return null;
  const css = highlightCss(highlight);
  return css ? <style data-testid="learn-highlight">{css}</style> : null;
}
