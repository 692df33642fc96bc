import { existsSync } from 'node:fs';
import { checkOptionNames, optionNames } from '@macaron/core/backend';
import type { Oas2Rule, Oas3Rule, Plugin, UserContext } from '@redocly/openapi-core';
import { findSpecProblemsSync } from './lint/find-spec-problems-sync.js';
import { locatePointer, type SpecLocation } from './lint/locate-pointer.js';
import { isNumberLiteral } from './lint/number-literals.js';
import { sourceText } from './lint/source-text.js';
import {
  type MacaronRuleName,
  macaronRuleNames,
  recommendedSeverity,
  type SpecFinding,
} from './lint/spec-finding.js';
import { yaml11Integers } from './lint/yaml-1-1-integers.js';

export { type MacaronRuleName, macaronRuleNames, type SpecFinding } from './lint/spec-finding.js';

/** Options of `createMacaronPlugin`. */
export interface MacaronPluginOptions {
  /**
   * Macaron's findings for a root document (its absolute ref and parsed content), when the
   * caller has them already; by default they are computed with `@macaron/core`.
   */
  findings?: (absoluteRef: string, document: unknown) => readonly SpecFinding[];
}

// The keys MacaronPluginOptions may have; any other is refused (P-110).
const pluginOptionNames = optionNames('findings');

// A file is checked from disk, so that its $refs to other files resolve; a document that is
// no file (linted from a string) is checked as it is.
function defaultFindings(absoluteRef: string, document: unknown): readonly SpecFinding[] {
  return findSpecProblemsSync(existsSync(absoluteRef) ? absoluteRef : (document as object));
}

// An int64 finding at a number literal of a file says a number may be rounded: Macaron reads
// the file's literals as written (see `isNumberLiteral`), so there it is no finding.
function withSource(finding: SpecFinding, location: SpecLocation): string | undefined {
  if (finding.rule !== 'int64') return finding.message;
  return isNumberLiteral(sourceText(location)) ? undefined : finding.message;
}

/**
 * Macaron's rules as a redocly plugin (id `macaron`): `x-persist`, `schema`, `storable`,
 * `int64`, `nesting-depth`, `ambiguous-paths`, `parameter-names`, `served-operations`,
 * `pymacaron-extensions`, `ref-siblings`, `method-names`, `discriminator-values`, `yaml-1-1` and
 * `expiry`, with a `recommended` config to extend.
 */
export function createMacaronPlugin(options: MacaronPluginOptions = {}): Plugin {
  checkOptionNames(options, pluginOptionNames, 'createMacaronPlugin', TypeError);
  const compute = options.findings ?? defaultFindings;
  // Computed once per lint of a document (each of the rules reads the same findings), kept by
  // the parsed document itself: a process that lints on (an editor, a docs server, a test
  // suite) gets fresh findings once a file changes, and keeps nothing of files linted before.
  // Keyed by path, they were the first run's for the life of the process (a spec fixed, or
  // broken, since then linted as it was), one entry more for every path ever linted.
  const cache = new WeakMap<object, { absoluteRef: string; found: readonly SpecFinding[] }>();
  const findingsOf = (absoluteRef: string, document: unknown) => {
    if (typeof document !== 'object' || document === null) return compute(absoluteRef, document);
    const cached = cache.get(document);
    if (cached?.absoluteRef === absoluteRef) return cached.found;
    const found = compute(absoluteRef, document);
    cache.set(document, { absoluteRef, found });
    return found;
  };
  const rule = (name: MacaronRuleName) => () => ({
    Root: {
      leave(root: unknown, context: UserContext) {
        // Read from the source text alone: what the parsed document holds does not tell.
        if (name === 'yaml-1-1') {
          for (const { message, location } of yaml11Integers(root, context))
            context.report({ message, location });
          return;
        }
        const absoluteRef = context.location.source.absoluteRef;
        for (const finding of findingsOf(absoluteRef, root)) {
          if (finding.rule !== name) continue;
          const location = locatePointer(root, context, finding.pointer);
          const message = withSource(finding, location);
          if (message !== undefined) context.report({ message, location });
        }
      },
    },
  });
  const rules = Object.fromEntries(macaronRuleNames.map((name) => [name, rule(name)]));
  return {
    id: 'macaron',
    rules: {
      oas2: rules as Record<string, Oas2Rule>,
      oas3: rules as Record<string, Oas3Rule>,
    },
    configs: {
      recommended: {
        rules: Object.fromEntries(
          macaronRuleNames.map((name) => [`macaron/${name}`, recommendedSeverity[name]]),
        ),
      },
      all: {
        rules: Object.fromEntries(macaronRuleNames.map((name) => [`macaron/${name}`, 'error'])),
      },
    },
  };
}

/**
 * The plugin for a project's `redocly.yaml`:
 * `plugins: ['@macaron/cli/redocly-plugin']` and `extends: [recommended, macaron/recommended]`.
 */
export default function macaronRedoclyPlugin(): Plugin {
  return createMacaronPlugin();
}
