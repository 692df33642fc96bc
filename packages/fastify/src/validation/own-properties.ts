/**
 * Property names from a request or a spec are data: `__proto__`, `constructor` or `toString`
 * must read and write the object's own property, never what its prototype holds.
 */

/** The object's own property `name`, or undefined (never one inherited from its prototype). */
export function ownValue(record: unknown, name: string): unknown {
  if (typeof record !== 'object' || record === null || !Object.hasOwn(record, name))
    return undefined;
  return (record as Record<string, unknown>)[name];
}

/** Sets the object's own property `name`, even `__proto__`, which `record[name] = …` would not. */
export function setOwnValue(record: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(record, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
