/**
 * What AsyncAPI and Fanout call things, and how one name becomes the other. Shared by the
 * importer and the exporter so that a round trip keeps every name.
 */

/** The key of Fanout's own settings in an AsyncAPI document (root and operations). */
export const X_FANOUT = 'x-fanout';
/** Version of the `x-fanout` shape; a document with a newer one is refused, not half-read. */
export const X_FANOUT_VERSION = 1;
/** The AsyncAPI version Fanout writes. */
export const ASYNCAPI_VERSION = '3.0.0';
/** The AsyncAPI versions Fanout reads. */
export const READABLE_VERSIONS = /^3\.[01]\.\d+$/;

/** An event name Fanout accepts (the scenario format's rule): `OrderCreated`, `order.created.eu`. */
export const EVENT_NAME = /^([A-Z][A-Za-z0-9]*|[a-z0-9]+(\.[a-z0-9]+)*)$/;
/** A topic-exchange binding: dotted words where `*` is one word and `#` zero or more. */
export const BINDING_PATTERN = /^(([a-z0-9]+|\*|#)(\.([a-z0-9]+|\*|#))*)$/;
/** Longest event name the scenario format takes. */
export const MAX_EVENT_CHARS = 60;

/** Is this binding a pattern (topic exchange) rather than one event name? */
export const isPattern = (binding: string) => binding.includes('*') || binding.includes('#');

/**
 * An event name made from an address or a key that is not one: its words, each starting
 * with a capital (`user/signedup` -> `UserSignedup`, `orders-created` -> `OrdersCreated`,
 * `userSignedUp` -> `UserSignedUp`). Address parameters (`{userId}`) are left out.
 * Undefined when nothing usable is left.
 */
export function eventNameFrom(text: string): string | undefined {
  const words = text
    .replace(/\{[^}]*\}/g, ' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const name = words.map((w) => `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`).join('');
  if (!/^[A-Z]/.test(name)) return undefined;
  return name.slice(0, MAX_EVENT_CHARS);
}

/** A service or scenario id made from a title: `Billing Service` -> `billing`. */
export function idFrom(title: string, fallback: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  const short = slug.replace(/-(service|svc|app|application)$/, '');
  const id = (short || slug).slice(0, 40).replace(/-+$/, '');
  return id || fallback;
}

/** A name made from an id: `order-history` -> `Order history`. */
export function nameFrom(id: string): string {
  const words = id.replace(/-/g, ' ');
  return `${words[0]?.toUpperCase() ?? ''}${words.slice(1)}`;
}

/** A channel, message or operation key AsyncAPI tools accept: letters, digits, `_` and `-`. */
export function keyFrom(text: string): string {
  return (
    text
      .replace(/\*/g, 'star')
      .replace(/#/g, 'hash')
      .replace(/[^A-Za-z0-9_-]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'event'
  );
}

/** `A`, `A and B`, `A, B and C` */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
