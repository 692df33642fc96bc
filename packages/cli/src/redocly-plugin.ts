import { existsSync } from 'node:fs';
import { checkOptionNames, optionNames } from '@macaron/core/backend';
import type {
  LocationObject,
  Oas2Rule,
  Oas3Rule,
  Plugin,
  UserContext,
} from '@redocly/openapi-core';
import { getLineColLocation } from '@redocly/openapi-core';
import { findSpecProblemsSync } from './lint/find-spec-problems-sync.js';
import { locatePointer, type SpecLocation } from './lint/locate-pointer.js';
import { readExactly, roundedMessage } from './lint/number-literals.js';
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

// The keys MacaronPluginOptions may have; any other is refused (P-110).
const pluginOptionNames = optionNames('findings');

// A file is checked from disk, so that its $refs to other files resolve; a document that is
// no file (linted from a string) is checked as it is.
function defaultFindings(absoluteRef: string, document: unknown): readonly SpecFinding[] {
  return findSpecProblemsSync(existsSync(absoluteRef) ? absoluteRef : (document as object));
}

// The source text at a location (a scalar's own text, as the spec wrote it).
function sourceText(location: SpecLocation): string {
  const { start, end = start } = getLineColLocation(location as LocationObject);
  const lines = location.source.body.split('\n');
  const offset = (line: number, col: number) =>
    lines.slice(0, line - 1).reduce((total, text) => total + text.length + 1, 0) + col - 1;
  return location.source.body.slice(offset(start.line, start.col), offset(end.line, end.col));
}

// An int64 finding at a number literal says it may be rounded: the source tells whether it was.
function withSource(finding: SpecFinding, location: SpecLocation): string | undefined {
  if (finding.rule !== 'int64') return finding.message;
  const text = sourceText(location);
  const exact = readExactly(text);
  if (exact === undefined) return finding.message;
  return exact ? undefined : roundedMessage(text);
}

/**
 * Macaron's rules as a redocly plugin (id `macaron`): `x-persist`, `schema`, `storable`,
 * `int64`, `nesting-depth`, `ambiguous-paths`, `parameter-names`, `served-operations`,
 * `pymacaron-extensions`, `ref-siblings`, `method-names` and `discriminator-values`, with a
 * `recommended` config to extend.
 */
export function createMacaronPlugin(options: MacaronPluginOptions = {}): Plugin {
  checkOptionNames(options, pluginOptionNames, 'createMacaronPlugin', TypeError);
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
