import { resolve } from 'node:path';
import { SpecError, type SpecProblem } from '../errors/spec-error.js';
import type { Dialect } from '../schema/normalize-schema.js';

/** A spec after loading: one document with every `$ref` internal, and its dialect. */
export interface BundledSpec {
  /** The bundled document. */
  readonly document: Record<string, unknown>;
  /** Swagger 2.0, OpenAPI 3.0 or 3.1. */
  readonly dialect: Dialect;
  /** The root file, when loaded from a path. */
  readonly file?: string;
}

/**
 * Loads and bundles a spec from a path (YAML or JSON) or an object with
 * @redocly/openapi-core, so `$ref`s across files become internal ones. Every problem is
 * reported at once, with file and JSON pointer.
 */
export async function loadSpec(source: string | object): Promise<BundledSpec> {
  // Imported on demand: a compiled spec (see `macaron compile`) never needs the bundler.
  const redocly = await import('@redocly/openapi-core');
  const config = await redocly.createConfig({});
  const file = typeof source === 'string' ? resolve(source) : undefined;
  let result: Awaited<ReturnType<typeof redocly.bundle>>;
  try {
    result =
      file === undefined
        ? await redocly.bundle({
            doc: redocly.makeDocumentFromString(JSON.stringify(source), resolve('openapi.json')),
            config,
          })
        : await redocly.bundle({ ref: file, config });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SpecError(
      'Cannot load the spec',
      [{ ...(file ? { file } : {}), pointer: '', message }],
      { cause: error },
    );
  }
  const problems: SpecProblem[] = result.problems
    .filter((problem) => problem.severity === 'error')
    .map((problem) => {
      const location = problem.location[0];
      const absoluteRef = location?.source.absoluteRef;
      return {
        ...(absoluteRef && file !== undefined ? { file: absoluteRef } : {}),
        pointer: (location?.pointer ?? '#').replace(/^#/, ''),
        message: problem.message,
      };
    });
  if (problems.length > 0) throw new SpecError('The spec has errors', problems);
  const document = result.bundle.parsed as Record<string, unknown>;
  return { document, dialect: detectDialect(document, file), ...(file ? { file } : {}) };
}

/** Tells Swagger 2.0, OpenAPI 3.0 and 3.1 apart from the document's version field. */
export function detectDialect(document: Record<string, unknown>, file?: string): Dialect {
  if (typeof document.swagger === 'string' && document.swagger.startsWith('2.')) return 'swagger2';
  if (typeof document.openapi === 'string') {
    if (document.openapi.startsWith('3.0')) return 'oas3.0';
    if (document.openapi.startsWith('3.1') || document.openapi.startsWith('3.2')) return 'oas3.1';
  }
  throw new SpecError('Unsupported spec', [
    {
      ...(file ? { file } : {}),
      pointer: '',
      message: 'expected `swagger: 2.0` or `openapi: 3.0.x / 3.1.x`',
    },
  ]);
}
