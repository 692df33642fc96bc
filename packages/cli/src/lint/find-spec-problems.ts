import { resolve } from 'node:path';
import {
  type Api,
  checkSpec,
  createRefResolver,
  type LoadApiOptions,
  loadApi,
  SpecError,
  type SpecProblem,
  specOperations,
} from '@macaron/core';
import { checkOptionNames, optionNames } from '@macaron/core/backend';
import { resolveObject } from '../spec/resolve-object.js';
import { unconfiguredModels } from '../spec/unconfigured-models.js';
import { discriminatorValueFindings } from './discriminator-values.js';
import { isLocalReference } from './empty-token-refs.js';
import { expiryFindings } from './expiry-attributes.js';
import { headerNameFindings } from './header-names.js';
import { methodNameFindings } from './method-names.js';
import { numberLiteralFindings } from './number-literals.js';
import { parameterDefaultFindings } from './parameter-defaults.js';
import { pymacaronExtensionFindings } from './pymacaron-extensions.js';
import { refSiblingFindings } from './ref-siblings.js';
import { servedOperationFindings } from './served-operations.js';
import { servedSchemaFindings } from './served-schemas.js';
import type { SpecFinding } from './spec-finding.js';
import { storabilityFindings } from './storable-checks.js';

// The bundled document, when @redocly/openapi-core bundles the spec without errors. When it
// does not, redocly's own rules (struct, no-unresolved-refs, …) report why; Macaron has nothing
// to add.
async function bundled(source: string | object): Promise<Record<string, unknown> | undefined> {
  const redocly = await import('@redocly/openapi-core');
  const config = await redocly.createConfig({});
  const externalRefResolver = createRefResolver(redocly, config);
  try {
    const result =
      typeof source === 'string'
        ? await redocly.bundle({ ref: source, config, externalRefResolver })
        : await redocly.bundle({
            doc: redocly.makeDocumentFromString(JSON.stringify(source), resolve('openapi.json')),
            config,
            externalRefResolver,
          });
    const parsed = result.bundle.parsed as Record<string, unknown>;
    const root = typeof source === 'string' ? resolve(source) : resolve('openapi.json');
    // A reference of the root file into itself that core follows (see `isLocalReference`).
    const followed = (problem: (typeof result.problems)[number]) =>
      problem.message === "Can't resolve $ref" &&
      problem.location[0]?.source.absoluteRef === root &&
      isLocalReference(parsed, problem.location[0]?.pointer);
    if (result.problems.some((problem) => problem.severity === 'error' && !followed(problem)))
      return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

// The dialect of a bundled document, as core reads it (it loaded: its version is known).
function dialectOf(document: Record<string, unknown>): Api['dialect'] {
  if (document.swagger !== undefined) return 'swagger2';
  return /^3\.0(\.|$)/.test(String(document.openapi)) ? 'oas3.0' : 'oas3.1';
}

// The spec loaded without what its problems are at: the `x-persist` of the schemas whose
// annotation is broken (their names returned), and the keyword (or operation) at any other
// problem's pointer; undefined when it does not load so either.
async function loadWithout(
  document: Record<string, unknown>,
  problems: readonly SpecProblem[],
  options: Pick<LoadApiOptions, 'compat' | 'persist'>,
  // Of two operations no server can tell apart, the one left out: the later (where the
  // problem is), or the earlier one, for the later's own findings.
  leaveOut: 'later' | 'earlier' = 'later',
): Promise<{ api: Api; broken: ReadonlySet<string> } | undefined> {
  if (problems.length === 0) return undefined;
  const broken = new Set(problems.flatMap(({ schema }) => (schema === undefined ? [] : [schema])));
  const copy = structuredClone(document);
  const earlier = leaveOut === 'earlier' ? earlierOperations(document) : undefined;
  for (const problem of problems) {
    if (problem.schema !== undefined) continue;
    removeAt(copy, earlier?.get(problem.pointer) ?? problem.pointer);
  }
  const schemas = (
    dialectOf(copy) === 'swagger2'
      ? copy.definitions
      : (copy.components as Record<string, unknown> | undefined)?.schemas
  ) as Record<string, unknown> | undefined;
  for (const name of broken) {
    const annotated = annotatedSchema(
      copy,
      schemas && Object.hasOwn(schemas, name) ? schemas[name] : undefined,
    );
    if (annotated) delete annotated['x-persist'];
  }
  // The tables macaron.config.json gives name schemas too: the broken ones are left out.
  const persist =
    options.persist &&
    Object.fromEntries(Object.entries(options.persist).filter(([name]) => !broken.has(name)));
  const api = await loadApi(copy, { ...options, ...(persist ? { persist } : {}) }).catch(
    () => undefined,
  );
  return api && { api, broken };
}

// The operation each later operation of the same route repeats (`GET /a/{x}` for `GET
// /a/{y}`), by pointer, as core's path-conflict check pairs them.
function earlierOperations(document: Record<string, unknown>): Map<string, string> {
  const first = new Map<string, string>();
  const earlier = new Map<string, string>();
  for (const { path, method, pointer } of specOperations(document)) {
    const route = `${method} ${(path.startsWith('/') ? path : `/${path}`).replace(/\{[^{}]*\}/g, '{}')}`;
    const found = first.get(route);
    if (found === undefined) first.set(route, pointer);
    else earlier.set(pointer, found);
  }
  return earlier;
}

// Deletes the member of an object at a pointer of the document, if there is one (an item of a
// list is left: deleting it would move the ones after it, whose problems point at them).
function removeAt(document: Record<string, unknown>, pointer: string): void {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = tokens.pop();
  if (last === undefined) return;
  let node: unknown = document;
  for (const token of tokens) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, token)) return;
    node = (node as Record<string, unknown>)[token];
  }
  if (
    typeof node === 'object' &&
    node !== null &&
    !Array.isArray(node) &&
    Object.hasOwn(node, last)
  )
    delete (node as Record<string, unknown>)[last];
}

// The schema that holds a named schema's `x-persist`: the named one, or what it refers to (a
// schema of another file is a `$ref` to the component bundling made of it).
function annotatedSchema(
  document: Record<string, unknown>,
  schema: unknown,
): Record<string, unknown> | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  if ((schema as Record<string, unknown>)['x-persist'] !== undefined)
    return schema as Record<string, unknown>;
  return resolveObject({ document }, schema, '').value;
}

// The rules that read the document alone: they run on a spec that does not load too. A spec
// read from files has its integer literals read as written (see `numberLiteralFindings`).
function documentFindings(
  document: Record<string, unknown>,
  dialect: Api['dialect'],
  source: string | object,
) {
  return [
    ...pymacaronExtensionFindings(document),
    ...refSiblingFindings(document, dialect),
    ...numberLiteralFindings(document, typeof source === 'string' ? 'file' : 'object'),
  ];
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

// The keys findSpecProblems takes; any other is refused (P-110).
const findOptionNames = optionNames('compat', 'persist');

/**
 * Macaron's findings on a spec (a path or a parsed document): every `checkSpec` problem
 * (x-persist, schemas, ambiguous paths, patterns JavaScript cannot run), then, when the spec
 * loads, the operations' schemas @macaron/fastify would refuse and what DynamoDB cannot
 * store, header parameters one request cannot tell apart, and numbers no JSON holds (.nan, .inf) or, in a spec given as an object, integers beyond 2^53 JavaScript may have rounded. Pointers are those of the bundled document. A spec that does not bundle gives none.
 */
export async function findSpecProblems(
  source: string | object,
  options: Pick<LoadApiOptions, 'compat' | 'persist'> = {},
): Promise<SpecFinding[]> {
  // Checked here too: a spec that does not bundle returns before checkSpec would see them.
  checkOptionNames(options, findOptionNames, 'findSpecProblems', TypeError);
  const document = await bundled(source);
  if (document === undefined) return [];
  const problems = await checkSpec(source, options);
  const findings = problems.map(toFinding);
  let api: Api;
  // Schemas whose x-persist is broken: still checked as the persistent models they are meant to be.
  let broken: ReadonlySet<string> = new Set();
  try {
    api = await loadApi(source, options);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    // checkSpec listed why. The spec is loaded again without what those problems are at (the
    // broken annotations, keywords), so that the other rules report what they find too (one
    // problem fixed should not reveal new errors); if it still does not load, the rules that
    // read the document.
    const unpersisted = await loadWithout(document, problems, options);
    if (unpersisted === undefined)
      return [...findings, ...documentFindings(document, dialectOf(document), source)];
    ({ api, broken } = unpersisted);
    // Operations no server can tell apart: each left out once, the later then the earlier, so
    // that the findings of both are reported.
    if (findings.some((finding) => finding.rule === 'ambiguous-paths')) {
      const swapped = await loadWithout(document, problems, options, 'earlier');
      if (swapped) {
        const first = loadedFindings(api, broken, findings, options, source);
        const seen = new Set(first.map(findingKey));
        const second = loadedFindings(swapped.api, swapped.broken, findings, options, source);
        return [
          ...findings,
          ...first,
          ...second.filter((finding) => !seen.has(findingKey(finding))),
        ];
      }
    }
  }
  return [...findings, ...loadedFindings(api, broken, findings, options, source)];
}

const findingKey = ({ rule, pointer, message }: SpecFinding) =>
  `${rule}\u0000${pointer}\u0000${message}`;

// The findings of the rules that read a loaded spec, beside checkSpec's.
function loadedFindings(
  api: Api,
  broken: ReadonlySet<string>,
  findings: readonly SpecFinding[],
  options: Pick<LoadApiOptions, 'compat' | 'persist'>,
  source: string | object,
): SpecFinding[] {
  // A pattern of a named schema a body uses is reported once, by checkSpec.
  const reported = new Set(findings.map((finding) => finding.pointer));
  return [
    ...servedSchemaFindings(api).filter((finding) => !reported.has(finding.pointer)),
    ...parameterDefaultFindings(api),
    ...storabilityFindings(api, broken),
    ...documentFindings(api.document, api.dialect, source),
    ...headerNameFindings(api),
    ...servedOperationFindings(api),
    ...methodNameFindings(api, broken),
    ...discriminatorValueFindings(api),
    ...expiryFindings(api),
    // Given a persist option (macaron.config.json), a schema it leaves out is likely misspelt.
    ...(options.persist === undefined
      ? []
      : unconfiguredModels(api, options.persist).map(
          ({ name, message }): SpecFinding => ({
            rule: 'pymacaron-extensions',
            pointer: `${api.schema(name).pointer}/x-persist`,
            message,
          }),
        )),
  ];
}
