/**
 * Writing a share link (link.ts describes the format): the setup in its compact spelling,
 * compressed with lz-string. Apart from reading, so the page's first load, which only
 * ever reads a link, does not carry the compressor.
 */
import LZString from 'lz-string';
import type { Setup } from './setup';
import { compactSetup, LINK_COMFORTABLE_CHARS, LINK_MAX_CHARS, SETUP_HASH_KEY } from './link';

/** The `#setup=` payload for a setup. */
export function encodeSetup(setup: Setup): string {
  return LZString.compressToEncodedURIComponent(JSON.stringify(compactSetup(setup)));
}

export type LinkFit = 'comfortable' | 'long' | 'too-long';

export interface ShareLink {
  url: string;
  length: number;
  /** comfortable: <= 2,000 chars; long: fine for browsers, some chat apps may cut it; too-long: offer the file. */
  fit: LinkFit;
}

/**
 * The share link of `setup` for the page at `pageUrl` (its query and fragment are
 * dropped: the payload says everything). `extraQuery` is kept, e.g. `embed=1`.
 */
export function shareLink(setup: Setup, pageUrl: string, extraQuery = ''): ShareLink {
  const page = pageUrl.replace(/[?#].*$/s, '');
  const url = `${page}${extraQuery ? `?${extraQuery}` : ''}#${SETUP_HASH_KEY}=${encodeSetup(setup)}`;
  const length = url.length;
  const fit: LinkFit =
    length <= LINK_COMFORTABLE_CHARS
      ? 'comfortable'
      : length <= LINK_MAX_CHARS
        ? 'long'
        : 'too-long';
  return { url, length, fit };
}
