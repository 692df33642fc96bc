import { fileURLToPath } from 'node:url';
import type { ValidationProblem } from '../../src/errors/validation-error.js';
import { type Dialect, SchemaNormalizer } from '../../src/schema/normalize-schema.js';
import type { SchemaNode } from '../../src/schema/schema-node.js';

/** Absolute path of a file under `test/fixtures`. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

const info = { title: 'Test', version: '1.0' };

/** A minimal Swagger 2.0 document with these definitions. */
export function swagger2(definitions: Record<string, unknown>): Record<string, unknown> {
  return { swagger: '2.0', info, paths: {}, definitions };
}

/** A minimal OpenAPI 3.0 document with these component schemas. */
export function openapi30(schemas: Record<string, unknown>): Record<string, unknown> {
  return { openapi: '3.0.3', info, paths: {}, components: { schemas } };
}

/** A minimal OpenAPI 3.1 document with these component schemas. */
export function openapi31(schemas: Record<string, unknown>): Record<string, unknown> {
  return { openapi: '3.1.0', info, paths: {}, components: { schemas } };
}

const documents: Record<Dialect, (schemas: Record<string, unknown>) => Record<string, unknown>> = {
  swagger2,
  'oas3.0': openapi30,
  'oas3.1': openapi31,
};

/**
 * Normalises named schemas without the bundler (fast): returns the node of `name`
 * and the normaliser, whose `problems` the caller may check.
 */
export function normalize(
  schemas: Record<string, unknown>,
  name: string,
  dialect: Dialect = 'oas3.1',
): { node: SchemaNode; normalizer: SchemaNormalizer } {
  const normalizer = new SchemaNormalizer(documents[dialect](schemas), dialect);
  const base = dialect === 'swagger2' ? '/definitions' : '/components/schemas';
  return { node: normalizer.atPointer(`${base}/${name}`, name), normalizer };
}

/** The node of a single schema `raw` (named `T`), failing on normalisation problems. */
export function schemaNode(
  raw: unknown,
  dialect: Dialect = 'oas3.1',
  others: Record<string, unknown> = {},
): SchemaNode {
  const { node, normalizer } = normalize({ ...others, T: raw }, 'T', dialect);
  if (normalizer.problems.length > 0)
    throw new Error(`schema problems: ${JSON.stringify(normalizer.problems)}`);
  return node;
}

/** Problems reduced to pointer and keyword, sorted, for order-free comparison. */
export function problemKeys(
  problems: readonly ValidationProblem[],
): { pointer: string; keyword: string }[] {
  return problems
    .map(({ pointer, keyword }) => ({ pointer, keyword }))
    .sort((a, b) =>
      a.pointer === b.pointer ? a.keyword.localeCompare(b.keyword) : a.pointer < b.pointer ? -1 : 1,
    );
}

/** The error a function throws (fails the test when it throws nothing). */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
