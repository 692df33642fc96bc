import { existsSync } from 'node:fs';
import type { Oas2Rule, Oas3Rule, Plugin, UserContext } from '@redocly/openapi-core';
import { findSpecProblemsSync } from './lint/find-spec-problems-sync.js';
import { locatePointer } from './lint/locate-pointer.js';
import {
  type MacaronRuleName,
  macaronRuleNames,
  recommendedSeverity,
  type SpecFinding,
} from './lint/spec-finding.js';

export { type MacaronRuleName, macaronRuleNames, type SpecFinding } from './lint/spec-finding.js';

/** Options of `createMacaronPlugin`. */
export interface MacaronPluginOptions {
  /**
   * Macaron's findings for a root document (its absolute ref and parsed content), when the
   * caller has them already; by default they are computed with `@macaron/core`.
   */
  findings?: (absoluteRef: string, document: unknown) => readonly SpecFinding[];
}

// A file is checked from disk, so that its $refs to other files resolve; a document that is
// no file (linted from a string) is checked as it is.
function defaultFindings(absoluteRef: string, document: unknown): readonly SpecFinding[] {
  return findSpecProblemsSync(existsSync(absoluteRef) ? absoluteRef : (document as object));
}

/**
 * Macaron's rules as a redocly plugin (id `macaron`): `x-persist`, `schema`, `storable`,
 * `int64`, `nesting-depth`, `ambiguous-paths`, `pymacaron-extensions` and `ref-siblings`, with
 * a `recommended` config to extend.
 */
export function createMacaronPlugin(options: MacaronPluginOptions = {}): Plugin {
  const compute = options.findings ?? defaultFindings;
  const cache = new Map<string, readonly SpecFinding[]>();
  const findingsOf = (absoluteRef: string, document: unknown) => {
    let found = cache.get(absoluteRef);
    if (!found) {
      found = compute(absoluteRef, document);
      cache.set(absoluteRef, found);
    }
    return found;
  };
  const rule = (name: MacaronRuleName) => () => ({
    Root: {
      leave(root: unknown, context: UserContext) {
        const absoluteRef = context.location.source.absoluteRef;
        for (const finding of findingsOf(absoluteRef, root)) {
          if (finding.rule !== name) continue;
          context.report({
            message: finding.message,
            location: locatePointer(root, context, finding.pointer),
          });
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
