/**
 * The share link: `<page>#setup=<payload>`. The payload is the setup in a compact
 * spelling (short keys, actions as tuples with time deltas, services by position),
 * compressed with lz-string into URL-safe characters. It lives in the fragment, so it
 * is never sent to the server (no request-line limit on static hosts, nothing in their
 * logs), and the link works under any sub-path: only the page address is prepended.
 *
 * Writing a link (writeLink.ts, with lz-string) loads with the Share dialog and the
 * embed; reading one needs only the bounded decompressor here.
 *
 * Decoding checks sizes before decompressing, turns the compact form back into the file
 * shape and validates it with `readSetup`, so links, files and saved sessions share
 * one set of rules.
 */
import { decodeIntervention, encodeIntervention, type Intervention } from '../core/interventions';
import { findScenario } from '../content/scenarios';
import { isCompare, MODES, type Mode, SIDES, type Side, sidesOf } from '../run/modes';
import { fail, ok, type Result } from './result';
import { boundedDecompress } from './boundedDecompress';
import {
  type BuildCheck,
  MAX_INTERVENTIONS,
  readSetup,
  SETUP_FORMAT,
  type Setup,
  type SetupSide,
  setupToJson,
  sidesOfMode,
} from './setup';

export const SETUP_HASH_KEY = 'setup';
/** A link up to this long pastes safely into mail, chats and slides. */
export const LINK_COMFORTABLE_CHARS = 2000;
/** Longer links are not offered: some browsers, servers and chat apps cut them. */
export const LINK_MAX_CHARS = 8000;
/** Anything longer than the app ever writes is refused before decompressing. */
const MAX_PAYLOAD_CHARS = LINK_MAX_CHARS;
/** Decompression stops past this (a hostile payload can expand a lot): far more than any setup. */
const MAX_JSON_CHARS = 1_000_000;

type Tuple = unknown[];
type Obj = Record<string, unknown>;

/**
 * Modes by letter. Compare is `x` (chain above events, as links always had it) or `x`
 * followed by the letters of its two sides, top first (`xeo`: events above orchestration).
 */
const SIDE_CODE: Record<Side, string> = { chain: 'c', event: 'e', orchestration: 'o' };
const MODE_CODE = Object.fromEntries(
  MODES.map((mode) => {
    if (mode === 'compare') return [mode, 'x'];
    if (!isCompare(mode)) return [mode, SIDE_CODE[mode]];
    return [
      mode,
      `x${sidesOf(mode)
        .map((side) => SIDE_CODE[side])
        .join('')}`,
    ];
  }),
) as Record<Mode, string>;
const CODE_MODE: Record<string, string> = Object.fromEntries(
  Object.entries(MODE_CODE).map(([mode, code]) => [code, mode]),
);

// ---------------------------------------------------------------------------------
// Encoding

/** Actions as tuples `[dt, code, ...values]` (each kind's spelling: src/core/interventions). */
function compactList(list: readonly Intervention[], serviceIndex: (id: string) => number): Tuple[] {
  let previous = 0;
  return list.map((i) => {
    const t = encodeIntervention(i, i.at - previous, serviceIndex);
    previous = i.at;
    return t;
  });
}

/** The compact form of a setup (before compression). */
export function compactSetup(setup: Setup): Obj {
  const serviceIndex = (id: string) => setup.scenario.services.findIndex((s) => s.id === id);
  const file = setupToJson(setup);
  const out: Obj = { v: SETUP_FORMAT };
  if (typeof file.scenario === 'string') out.b = file.scenario;
  else out.c = file.scenario;
  out.s = setup.seed;
  out.m = MODE_CODE[setup.mode];
  out.x = setup.speed;
  out.t = setup.at;
  const shared = file.interventions as Intervention[];
  if (shared.length > 0) out.i = compactList(shared, serviceIndex);
  const bySide = file.interventions_by_side as
    | Partial<Record<SetupSide, Intervention[]>>
    | undefined;
  if (bySide) {
    const j: Obj = {};
    for (const side of sidesOfMode(setup.mode))
      j[SIDE_CODE[side]] = compactList(bySide[side] ?? [], serviceIndex);
    out.j = j;
  }
  return out;
}

// ---------------------------------------------------------------------------------
// Decoding

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Compact actions back to the file shape; shape errors name the action (values are validated by `readSetup`). */
function expandList(list: unknown, path: string, services: readonly string[]): Result<Obj[]> {
  if (!Array.isArray(list)) return fail(`${path}: must be a list of actions`);
  if (list.length > MAX_INTERVENTIONS)
    return fail(`${path}: has too many actions (${list.length})`);
  const out: Obj[] = [];
  let at = 0;
  for (let n = 0; n < list.length; n++) {
    const t = list[n];
    const where = `${path}[${n}]`;
    if (!Array.isArray(t) || t.length < 2) return fail(`${where}: is not an action`);
    const [dt, code, ...args] = t as [unknown, unknown, ...unknown[]];
    if (typeof dt !== 'number' || !Number.isInteger(dt) || dt < 0)
      return fail(`${where}: its time is damaged`);
    at += dt;
    const service = (i: unknown): unknown =>
      typeof i === 'number' && Number.isInteger(i) ? (services[i] ?? i) : i;
    const action = decodeIntervention(code, args, at, service);
    if (typeof action === 'string') return fail(`${where}: ${action}`);
    out.push(action);
  }
  return ok(out);
}

/** Compact form -> the file shape `readSetup` validates. */
function expandSetup(c: unknown): Result<Obj> {
  if (!isObject(c)) return fail('it holds no setup');
  if (typeof c.v === 'number' && c.v > SETUP_FORMAT) {
    return fail(
      `This share link was made by a newer version of Fanout (link format ${c.v}); this version reads format ${SETUP_FORMAT} only. Update Fanout to open it. Nothing was changed.`,
    );
  }
  const known = ['v', 'b', 'c', 's', 'm', 'x', 't', 'i', 'j'];
  const unknown = Object.keys(c).find((k) => !known.includes(k));
  if (unknown !== undefined)
    return fail(`it has an unknown part ${JSON.stringify(unknown).slice(0, 20)}`);
  // Actions name services by position: the scenario's own list, or the built-in's.
  let services: string[] = [];
  if (typeof c.b === 'string') services = findScenario(c.b)?.services.map((s) => s.id) ?? [];
  else if (isObject(c.c) && Array.isArray(c.c.services)) {
    services = c.c.services.map((s) => (isObject(s) && typeof s.id === 'string' ? s.id : ''));
  }
  const file: Obj = {
    fanout_setup: c.v,
    scenario: c.b ?? c.c,
    seed: c.s,
    view: typeof c.m === 'string' ? (CODE_MODE[c.m] ?? c.m) : c.m,
    speed: c.x,
    at_ms: c.t,
    interventions: [],
  };
  if (c.i !== undefined) {
    const list = expandList(c.i, 'actions', services);
    if (!list.ok) return list;
    file.interventions = list.value;
  }
  if (c.j !== undefined) {
    if (!isObject(c.j)) return fail('its per-side actions are damaged');
    const bySide: Obj = {};
    for (const side of SIDES) {
      const key = SIDE_CODE[side];
      if (c.j[key] === undefined) continue;
      const list = expandList(c.j[key], `${side} actions`, services);
      if (!list.ok) return list;
      bySide[side] = list.value;
    }
    file.interventions_by_side = bySide;
  }
  return ok(file);
}

/**
 * Read a `#setup=` fragment. `null` when the fragment holds no setup at all; otherwise
 * a validated setup, or one message naming what is wrong.
 */
export function readSetupHash(hash: string, builds?: BuildCheck): Result<Setup> | null {
  if (!isSetupHash(hash)) return null;
  return decodeSetup(hash.replace(/^#/, '').slice(`${SETUP_HASH_KEY}=`.length), builds);
}

/** Does this fragment hold a setup (good or bad)? */
export function isSetupHash(hash: string): boolean {
  return hash.replace(/^#/, '').startsWith(`${SETUP_HASH_KEY}=`);
}

/** Decode a payload made by `encodeSetup`. Never throws. `builds`: see `BuildCheck`. */
export function decodeSetup(payload: string, builds?: BuildCheck): Result<Setup> {
  const damaged = (why: string, details?: string[]) =>
    fail<Setup>(`This share link is damaged or incomplete: ${why}. Nothing was changed.`, details);
  try {
    if (payload.length === 0) return damaged('it holds no setup');
    if (payload.length > MAX_PAYLOAD_CHARS) {
      return damaged(`it is ${payload.length} characters long, more than any Fanout link`);
    }
    let text = payload;
    try {
      text = decodeURIComponent(payload);
    } catch {
      // Not percent-encoded: use it as it is.
    }
    if (!/^[A-Za-z0-9+\-$]+$/.test(text))
      return damaged('it contains characters a Fanout link never has');
    const json = boundedDecompress(text, MAX_JSON_CHARS);
    if (json === 'too-large') return damaged('it expands to far more than any setup');
    if (json === 'damaged' || json.length === 0) return damaged('it does not decompress');
    let compact: unknown;
    try {
      compact = JSON.parse(json);
    } catch {
      return damaged('it does not decompress to a setup');
    }
    const expanded = expandSetup(compact);
    if (!expanded.ok)
      return expanded.message.startsWith('This share link') ? expanded : damaged(expanded.message);
    const setup = readSetup(expanded.value, 'This share link', builds);
    if (setup.ok) return setup;
    if (!setup.details) return fail(`${setup.message} Nothing was changed.`);
    return damaged(setup.message, setup.details);
  } catch (error) {
    // Belt and braces: nothing a link holds may escape as an exception.
    const why = error instanceof Error ? error.message.slice(0, 80) : 'unknown error';
    return damaged(`it could not be read (${why})`);
  }
}
