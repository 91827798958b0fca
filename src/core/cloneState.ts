/**
 * A deep copy of plain data, as `structuredClone` makes it, several times faster for the
 * engine's state: objects, arrays, Maps, Sets and typed arrays, with shared references
 * kept shared (one order held by several copies of a message stays one order in the copy).
 *
 * `structuredClone` serialises the whole graph and reads it back: about 3 µs per message
 * of a queue's backlog, so restoring a checkpoint with 6,700 waiting copies took ~30 ms
 * and checkpoints were 15% of the engine benchmark. This copies each object once, in
 * place. Only what the state holds is supported (DESIGN.md: state is plain data); a
 * function or a class instance with a prototype of its own is a programming error and
 * throws, as `structuredClone` would for a function.
 */

type Seen = Map<object, unknown>;

function copyValue(value: unknown, seen: Seen): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') throw new Error('cloneState: a function in the state');
    return value;
  }
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    // Copied whole, then its objects replaced in the copy: reads and writes touch the copy
    // only. Read element by element, the live state's arrays were transitioned by this
    // function's optimised code, which sees every kind of array, to its most general
    // elements kind (HOLEY_ELEMENTS): at the first checkpoint after V8 optimised it, every
    // hot engine function deoptimised at once ("wrong map" on the heap, the services, the
    // random streams), and the next run's fresh arrays made them polymorphic. `slice`
    // keeps the source's elements kind (the random streams stay unboxed doubles) and
    // copies numbers without a call per element.
    const out = value.slice();
    seen.set(value, out);
    for (let i = 0; i < out.length; i++) {
      const item: unknown = out[i];
      if (typeof item === 'object' ? item !== null : typeof item === 'function')
        out[i] = copyValue(item, seen);
    }
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    const out = (value as unknown as { slice(): object }).slice();
    seen.set(value, out);
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(value, out);
    for (const [k, v] of value) out.set(copyValue(k, seen), copyValue(v, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    seen.set(value, out);
    for (const v of value) out.add(copyValue(v, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    throw new Error(`cloneState: a ${proto?.constructor?.name ?? 'class'} instance in the state`);
  // A spread copies every own field at once and gives the copy its source's layout (the
  // same hidden class where V8 can), so a state restored from a checkpoint runs through
  // the same optimised code as a fresh one; adding the fields one by one to `{}` built
  // other hidden classes, with a megamorphic store per field. Object fields are then
  // replaced by their copies.
  const out: Record<string, unknown> =
    proto === null ? Object.assign(Object.create(null), value) : { ...value };
  seen.set(value, out);
  for (const key in out) {
    const field = out[key];
    if (typeof field === 'object' ? field === null : typeof field !== 'function') continue;
    const copy = copyValue(field, seen);
    // A key named `__proto__` (a learner's attribute name) is data, not the prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, {
        value: copy,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = copy;
  }
  return out;
}

/** A deep copy of `state` (plain data), shared references kept shared. */
export function cloneState<T>(state: T): T {
  return copyValue(state, new Map()) as T;
}
