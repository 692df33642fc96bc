/**
 * Property names are data: a name such as `constructor`, `toString` or `__proto__` is an
 * ordinary property of a model value, never a lookup into `Object.prototype` nor a change
 * of a prototype. Every read of a user-controlled name goes through `ownProperty`, every
 * write through `setOwnProperty`.
 */

/** The object's own property `name`, or undefined (never an inherited one). */
export function ownProperty<V>(
  record: { readonly [name: string]: V },
  name: string,
): V | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Sets the own data property `name`; `__proto__` becomes a property, not a prototype. */
export function setOwnProperty(record: object, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(record, name, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else (record as Record<string, unknown>)[name] = value;
}

/** Copies every own enumerable property of `source` onto `target` as own data properties. */
export function assignOwnProperties(target: object, source: object): void {
  for (const name of Object.keys(source))
    setOwnProperty(target, name, (source as Record<string, unknown>)[name]);
}
