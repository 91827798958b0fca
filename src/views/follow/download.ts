/**
 * Save data as a JSON file through a Blob and a temporary `<a download>`: no inline
 * script, no server, works under the page's Content-Security-Policy.
 */
export function downloadJson(fileName: string, data: unknown): void {
  const compact = JSON.stringify(data);
  // Indented for a learner reading it, unless that makes a big file much bigger.
  const text = compact.length < 2_000_000 ? JSON.stringify(data, null, 2) : compact;
  const blob = new Blob([text], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
