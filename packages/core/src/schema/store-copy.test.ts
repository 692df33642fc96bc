import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawSchema, value } from '../../test/support/schema-arbitraries.js';
import { schemaNode } from '../../test/support/specs.js';
import { copyValue } from './copy-value.js';
import { assignOwnProperties } from './own-property.js';
import { copyStoredProperties } from './store-copy.js';

// What the model constructor did before the compiled copy: copyValue, then the copy's own
// properties set on the object (Object.assign, or one by one when `__proto__` is among them).
function reference(raw: unknown, source: object): object {
  const copy = copyValue(schemaNode(raw), source, 'store') as object;
  const target = {};
  if (Object.hasOwn(copy, '__proto__')) assignOwnProperties(target, copy);
  else Object.assign(target, copy);
  return target;
}

function objectsIn(root: unknown, found = new Set<object>()): Set<object> {
  if (root !== null && typeof root === 'object' && !found.has(root)) {
    found.add(root);
    for (const member of Object.values(root)) objectsIn(member, found);
  }
  return found;
}

describe('copyStoredProperties against copyValue', () => {
  it('sets the properties copyValue copies, copied as deep, on any schema and value', () => {
    const record = fc
      .array(fc.tuple(fc.constantFrom('a', 'b', 'constructor', '__proto__', '\uD800'), value), {
        maxLength: 4,
      })
      .map((entries) => Object.fromEntries(entries));
    fc.assert(
      fc.property(rawSchema, record, (raw, source) => {
        const target = {};
        copyStoredProperties(schemaNode(raw), source, target);
        expect(isDeepStrictEqual(target, reference(raw, source))).toBe(true);
        // Lists, maps and bytes are copies; what copyValue leaves shared (dates, sets'
        // members that are not objects) is only what it leaves shared too.
        const sources = objectsIn(source);
        const shared = [...objectsIn(target)].filter((copied) => sources.has(copied));
        const referenceShared = [...objectsIn(reference(raw, source))].filter((copied) =>
          sources.has(copied),
        );
        expect(shared.length).toBe(referenceShared.length);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes another class’s instance as copyValue does: its own properties, uncopied', () => {
    class Point {
      x = { at: 1 };
    }
    const source = new Point();
    const target = {} as { x?: unknown };
    copyStoredProperties(schemaNode({ type: 'object', properties: {} }), source, target);
    expect(target.x).toBe(source.x);
  });

  it('drops undefined, and null where the property does not allow it, at every depth', () => {
    const schema = schemaNode({
      type: 'object',
      properties: {
        kept: { type: ['string', 'null'] },
        dropped: { type: 'string' },
        nested: {
          type: 'object',
          properties: { dropped: { type: 'integer' } },
        },
        list: { type: 'array', items: { type: 'object', properties: { n: { type: 'number' } } } },
      },
    });
    const target = {};
    copyStoredProperties(
      schema,
      {
        kept: null,
        dropped: null,
        gone: undefined,
        nested: { dropped: null, extra: null },
        list: [{ n: null }, null],
      },
      target,
    );
    expect(target).toEqual({ kept: null, nested: { extra: null }, list: [{}, null] });
  });
});
