import type { Api } from '@macaron/core';
import { pointerToken } from '../spec/pointer-token.js';
import { resolveObject } from '../spec/resolve-object.js';
import type { SpecFinding } from './spec-finding.js';

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Header parameters of one list (a path item's or an operation's) whose names differ only in
 * case (`X-Trace`, `x-trace`): HTTP header names are case-insensitive, so a request cannot
 * give both, and the adapter (like the generated types) keeps only the last. One finding at
 * each later one. An operation's header overriding a path item's in another case is no
 * finding: that is what overriding means.
 */
export function headerNameFindings(api: Api): SpecFinding[] {
  const findings: SpecFinding[] = [];
  const paths = api.document.paths;
  if (typeof paths !== 'object' || paths === null) return findings;
  const checkList = (list: unknown, listPointer: string) => {
    if (!Array.isArray(list)) return;
    const first = new Map<string, string>();
    list.forEach((raw, index) => {
      const { value } = resolveObject(api, raw, `${listPointer}/${index}`);
      if (value?.in !== 'header' || typeof value.name !== 'string') return;
      const seen = first.get(value.name.toLowerCase());
      if (seen === undefined) first.set(value.name.toLowerCase(), value.name);
      else if (seen !== value.name)
        findings.push({
          rule: 'parameter-names',
          pointer: `${listPointer}/${index}`,
          message: `header parameters ${JSON.stringify(seen)} and ${JSON.stringify(value.name)} differ only in case: header names are case-insensitive, so they are one header; keep one`,
        });
    });
  };
  for (const [path, raw] of Object.entries(paths)) {
    const itemPointer = `/paths/${pointerToken(path)}`;
    const item = resolveObject(api, raw, itemPointer);
    if (!item.value) continue;
    checkList(item.value.parameters, `${item.pointer}/parameters`);
    for (const method of httpMethods) {
      const operation = item.value[method] as Record<string, unknown> | undefined;
      if (typeof operation === 'object' && operation !== null)
        checkList(operation.parameters, `${item.pointer}/${method}/parameters`);
    }
  }
  return findings;
}
