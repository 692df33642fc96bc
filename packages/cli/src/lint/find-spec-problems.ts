import { resolve } from 'node:path';
import {
  type Api,
  checkSpec,
  type LoadApiOptions,
  loadApi,
  SpecError,
  type SpecProblem,
} from '@macaron/core';
import { headerNameFindings } from './header-names.js';
import { methodNameFindings } from './method-names.js';
import { numberLiteralFindings } from './number-literals.js';
import { pymacaronExtensionFindings } from './pymacaron-extensions.js';
import { refSiblingFindings } from './ref-siblings.js';
import { servedOperationFindings } from './served-operations.js';
import { servedSchemaFindings } from './served-schemas.js';
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

// An operation of the spec (`/paths/~1cards~1{id}/get`): where core reports ambiguous paths.
const operationPointer = /^\/paths\/[^/]+\/[a-z]+$/;

function toFinding(problem: SpecProblem): SpecFinding {
  return {
    // Problems of an x-persist annotation name their schema; paths that a server cannot tell
    // apart are reported at their operation; the rest are schema problems.
    rule:
      problem.schema !== undefined
        ? 'x-persist'
        : operationPointer.test(problem.pointer)
          ? 'ambiguous-paths'
          : 'schema',
    pointer: problem.pointer,
    message: problem.message,
  };
}

/**
 * Macaron's findings on a spec (a path or a parsed document): every `checkSpec` problem
 * (x-persist, schemas, ambiguous paths, patterns JavaScript cannot run), then, when the spec
 * loads, the operations' schemas @macaron/fastify would refuse and what DynamoDB cannot
 * store, header parameters one request cannot tell apart, and numbers the parser could not read as written (.nan, .inf, beyond 2^53). Pointers are those of the bundled document. A spec that does not bundle gives none.
 */
export async function findSpecProblems(
  source: string | object,
  options: Pick<LoadApiOptions, 'compat' | 'persist'> = {},
): Promise<SpecFinding[]> {
  if (!(await bundles(source))) return [];
  const findings = (await checkSpec(source, options)).map(toFinding);
  let api: Api;
  try {
    api = await loadApi(source, options);
  } catch (error) {
    if (error instanceof SpecError) return findings; // checkSpec listed why
    throw error;
  }
  // A pattern of a named schema a body uses is reported once, by checkSpec.
  const reported = new Set(findings.map((finding) => finding.pointer));
  return [
    ...findings,
    ...servedSchemaFindings(api).filter((finding) => !reported.has(finding.pointer)),
    ...storabilityFindings(api),
    ...pymacaronExtensionFindings(api.document),
    ...refSiblingFindings(api.document, api.dialect),
    ...numberLiteralFindings(api.document),
    ...headerNameFindings(api),
    ...servedOperationFindings(api),
    ...methodNameFindings(api),
  ];
}
