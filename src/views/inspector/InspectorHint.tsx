/**
 * What the inspector says while nothing is selected. Its own module: the side panel shows
 * it without loading the inspector, which comes with the first selection.
 */
export function InspectorHint() {
  return (
    <p className="inspector-empty placeholder">
      Click a service or a queue on the canvas (or focus its name and press Enter) to see the
      messages it holds and what happened to them.
    </p>
  );
}
