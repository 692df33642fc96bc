import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openapi30 } from '../../test/support/specs.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { checkUpdatePaths } from '../evaluate/update-paths.js';
import { loadApi } from '../index.js';
import { checkExpressionLimits, maxUpdateOperations } from './expression-limits.js';
import type { AttributePath } from './stored-value.js';
import { toUpdateOperations } from './update-changes.js';
import type { UpdateOperation } from './update-operation.js';

// The count checks (`updateCountProblem`, `checkOperationCount`) refuse before the per-part
// work what the estimate would refuse after it: they must never refuse what it takes (P-97).

const api = await loadApi(
  openapi30({
    Open: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' } },
      'x-persist': { table: 'opens', key: 'id' },
    },
    Versioned: {
      type: 'object',
      required: ['id', 'sk'],
      properties: {
        id: { type: 'string' },
        sk: { type: 'integer' },
        rev: { type: 'integer' },
        kind: { type: 'string' },
      },
      'x-persist': {
        table: 'versioneds',
        key: 'id',
        sort: 'sk',
        version: 'rev',
        discriminator: 'kind',
      },
    },
  }),
);
const models = [api.persistent('Open').descriptor, api.persistent('Versioned').descriptor];

// Names as callers write them: `#`, `.`, `[` and `__proto__` are names like any other.
const nameOf = (index: number) =>
  index === 0 ? '__proto__' : `${['a', '#b', 'c.d', 'e[0]', 'é'][index % 5]}${index}`;

const setValue = fc.constantFrom<unknown>('x', 1, true, null, [1], { a: 1 }, undefined);

// A change of many top-level attributes: anywhere, or one kind about its bound alone (273 sets,
// 585 removes, 96 adds, 75 appends refused; a few less with a version) beside a few others.
const counts = (sets: number, removes: number, adds: number, appends: number) =>
  fc.record({
    model: fc.constantFrom(...models),
    sets: fc
      .integer({ min: Math.max(0, sets - 14), max: sets + 14 })
      .chain((length) => fc.array(setValue, { minLength: length, maxLength: length })),
    removes: fc.integer({ min: Math.max(0, removes - 14), max: removes + 14 }),
    adds: fc.integer({ min: Math.max(0, adds - 14), max: adds + 14 }),
    appends: fc.integer({ min: Math.max(0, appends - 14), max: appends + 14 }),
  });
const change = fc.oneof(
  fc.record({
    model: fc.constantFrom(...models),
    sets: fc.array(setValue, { maxLength: 450 }),
    removes: fc.integer({ min: 0, max: 620 }),
    adds: fc.integer({ min: 0, max: 160 }),
    appends: fc.integer({ min: 0, max: 100 }),
  }),
  counts(273, 0, 0, 0),
  counts(0, 585, 0, 0),
  counts(0, 0, 96, 0),
  counts(0, 0, 0, 75),
  counts(140, 290, 0, 0),
  counts(100, 100, 20, 10),
);

describe('[P-97] an update() refused on its count is one the estimate refuses', () => {
  it('takes every change whose operations the estimate takes, and refuses every other', () => {
    fc.assert(
      fc.property(change, ({ model, sets, removes, adds, appends }) => {
        let name = 0;
        const set: Record<string, unknown> = {};
        const remove: string[] = [];
        const add: Record<string, unknown> = {};
        const append: Record<string, unknown> = {};
        // The operations update() makes of these, as it made them before the count was checked.
        const operations: UpdateOperation[] = [];
        for (const value of sets) {
          const path = nameOf(name++);
          Object.defineProperty(set, path, { value, enumerable: true });
          if (value !== undefined) operations.push({ action: 'set', path, value: value as never });
        }
        for (let index = 0; index < removes; index++) {
          const path = nameOf(name++);
          remove.push(path);
          operations.push({ action: 'remove', path });
        }
        for (let index = 0; index < adds; index++) {
          const path = nameOf(name++);
          Object.defineProperty(add, path, { value: index, enumerable: true });
          operations.push({ action: 'add', path, value: index });
        }
        for (let index = 0; index < appends; index++) {
          const path = nameOf(name++);
          Object.defineProperty(append, path, { value: [index], enumerable: true });
          operations.push({ action: 'append', path, value: [index] });
        }
        if (operations.length === 0) return;
        if (model.versionAttribute)
          operations.push({ action: 'add', path: model.versionAttribute, value: 1 });
        const estimateTakes = takes(() => checkExpressionLimits({ operations }, 'update()'));
        const changes = { set, remove, add, append };
        expect(
          takes(() => toUpdateOperations(model, changes)),
          JSON.stringify(counts()),
        ).toBe(estimateTakes);
        function counts() {
          return { model: model.name, sets: sets.length, removes, adds, appends };
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('[P-105] a backend given more operations than an update holds', () => {
  // Any path: names, nested names and list positions, repeated or not.
  const path = fc.oneof(
    fc.constantFrom<AttributePath>('a', ['a', 0], ['a', 'b'], ['m', 'n', 3]),
    fc.nat({ max: 2000 }).map((index): AttributePath => ['l', index]),
    fc.nat({ max: 2000 }).map((index): AttributePath => `p${index}`),
  );
  const operation = fc.oneof(
    path.map((at): UpdateOperation => ({ action: 'remove', path: at })),
    path.map((at): UpdateOperation => ({ action: 'set', path: at, value: 1 })),
  );

  it('refuses past 818 on their count only operations the estimate refuses', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { minLength: maxUpdateOperations - 5, maxLength: 900 }),
        (operations) => {
          if (operations.length > maxUpdateOperations)
            expect(takes(() => checkExpressionLimits({ operations }, 'An update'))).toBe(false);
          // The count is the first refusal: no path was compared.
          const refusal = thrown(() => checkUpdatePaths(operations, { id: 'a' }));
          if (operations.length > maxUpdateOperations)
            expect((refusal as Error).message).toMatch(/operations make an update expression/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

function takes(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    return false;
  }
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
