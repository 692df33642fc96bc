import { SpecError, type SpecProblem } from '../errors/spec-error.js';
import { checkOptionNames } from '../persist/option-names.js';
import { analyzeSpec } from './analyze-spec.js';
import { exactNumbersOf } from './exact-spec-numbers.js';
import { type CompiledSpec, compiledMarker, inSources, loadSpec } from './load-spec.js';
import { type SpecReadOptions, specReadOptionNames } from './spec-options.js';
import { unusableSchemas } from './unusable-schemas.js';

/**
 * Bundles and checks a spec ahead of time. `loadApi` accepts the result (or its JSON file)
 * without @redocly/openapi-core, for fast cold starts, and gives the same API.
 */
export async function compileSpec(
  source: string | object,
  options: SpecReadOptions = {},
): Promise<CompiledSpec> {
  checkOptionNames(options, specReadOptionNames, 'compileSpec', TypeError);
  const spec = await loadSpec(source);
  const { problems } = analyzeSpec(spec, '', options);
  if (problems.length > 0) throw new SpecError('The spec has errors', inSources(spec, problems));
  const exactNumbers = exactNumbersOf(spec.document);
  const listsExactNumbers = Object.keys(exactNumbers).length > 0;
  return {
    // Format 2 only where earlier versions would read a number rounded: they refuse it.
    [compiledMarker]: listsExactNumbers ? 2 : 1,
    dialect: spec.dialect,
    document: spec.document,
    fileAliases: [...(spec.fileAliases ?? [])],
    ...(spec.sourceNames ? { sourceNames: { ...spec.sourceNames } } : {}),
    ...(listsExactNumbers ? { exactNumbers } : {}),
  };
}

/**
 * Every problem of a spec (loading, schemas, `x-persist`, paths), without throwing: for
 * linters. It includes the patterns JavaScript cannot run, which do not stop the spec from
 * loading but make the schemas that use them unusable.
 */
export async function checkSpec(
  source: string | object,
  options: SpecReadOptions = {},
): Promise<SpecProblem[]> {
  checkOptionNames(options, specReadOptionNames, 'checkSpec', TypeError);
  try {
    const spec = await loadSpec(source);
    const { problems, schemas } = analyzeSpec(spec, '', options);
    return [...problems, ...unusableSchemas(schemas, spec.file)];
  } catch (error) {
    if (error instanceof SpecError) return [...error.problems];
    throw error;
  }
}
