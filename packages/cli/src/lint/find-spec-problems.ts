import { resolve } from 'node:path';
import { checkSpec, loadApi, type SpecProblem } from '@macaron/core';
import type { SpecFinding } from './spec-finding.js';
import { storabilityFindings } from './storable-checks.js';

// True when @redocly/openapi-core bundles the spec without errors. When it does not, redocly's
// own rules (struct, no-unresolved-refs, …) report why; Macaron has nothing to add.
async function bundles(source: string | object): Promise<boolean> {
  const redocly = await import('@redocly/openapi-core');
  const config = await redocly.createConfig({});
  try {
    const result =
      typeof source === 'string'
        ? await redocly.bundle({ ref: source, config })
        : await redocly.bundle({
            doc: redocly.makeDocumentFromString(JSON.stringify(source), resolve('openapi.json')),
            config,
          });
    return !result.problems.some((problem) => problem.severity === 'error');
  } catch {
    return false;
  }
}

function toFinding(problem: SpecProblem): SpecFinding {
  return {
    // Problems of an x-persist annotation name their schema; the rest are schema problems.
    rule: problem.schema !== undefined ? 'x-persist' : 'schema',
    pointer: problem.pointer,
    message: problem.message,
  };
}

/**
 * Macaron's findings on a spec (a path or a parsed document): every `checkSpec` problem
 * (x-persist and schemas), then, when the spec loads, what DynamoDB cannot store.
 * Pointers are those of the bundled document. A spec that does not bundle gives none.
 */
export async function findSpecProblems(source: string | object): Promise<SpecFinding[]> {
  if (!(await bundles(source))) return [];
  const problems = await checkSpec(source);
  if (problems.length > 0) return problems.map(toFinding);
  return storabilityFindings(await loadApi(source));
}
