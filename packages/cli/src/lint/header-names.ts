import { type Api, specOperations } from '@macaron/core';
import { resolveObject } from '../spec/resolve-object.js';
import type { SpecFinding } from './spec-finding.js';

/**
 * Header parameters of one list (a path item's or an operation's) whose names differ only in
 * case (`X-Trace`, `x-trace`): HTTP header names are case-insensitive, so a request cannot
 * give both, and the adapter (like the generated types) keeps only the last. One finding at
 * each later one. An operation's header overriding a path item's in another case is no
 * finding: that is what overriding means.
 */
export function headerNameFindings(api: Api): SpecFinding[] {
  const findings: SpecFinding[] = [];
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
  const checkedItems = new Set<string>();
  for (const { pointer, operation, pathItem, pathItemPointer } of specOperations(api.document)) {
    if (!checkedItems.has(pathItemPointer)) {
      checkedItems.add(pathItemPointer);
      checkList(pathItem.parameters, `${pathItemPointer}/parameters`);
    }
    checkList(operation.parameters, `${pointer}/parameters`);
  }
  return findings;
}
