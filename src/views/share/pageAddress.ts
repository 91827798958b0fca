/** The page's own address without query or fragment (any sub-path it is hosted under). */
export function pageAddress(): string {
  return window.location.href.replace(/[?#].*$/s, '');
}
