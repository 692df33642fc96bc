import { type Api, propertySchema, type SchemaNode } from '@macaron/core';
import { shownName } from '@macaron/core/backend';
import { valueAtPointer } from '../spec/value-at-pointer.js';
import type { SpecFinding } from './spec-finding.js';

// 2100-01-01T00:00:00Z in seconds: an expiry attribute allowing no later value stops taking
// expiries within the life of the data (an int32 ends on 2038-01-19).
const farFuture = 4_102_444_800;
// 10^11 seconds is the year 5138; 10^11 milliseconds is 1973: a value this large is milliseconds.
const millisecondsFrom = 1e11;
const int32Max = 2_147_483_647;

/**
 * Expiry attributes (`x-persist.ttl`) that will not expire items as meant: DynamoDB reads
 * seconds since the epoch, so a schema that allows no value past 2100 (`format: int32` ends in
 * 2038) will refuse later expiries, and one that reads as milliseconds (its name, description,
 * bounds or examples) never expires anything.
 */
export function expiryFindings(api: Api): SpecFinding[] {
  const findings = new Map<string, SpecFinding>();
  for (const name of api.modelNames()) {
    let model: ReturnType<Api['persistent']>['descriptor'];
    try {
      model = api.persistent(name).descriptor;
    } catch {
      continue; // not persistent, or its persistence is reported by the other rules
    }
    const attribute = model.table.ttlAttribute;
    const node = attribute === undefined ? undefined : propertySchema(model.schema, attribute);
    if (attribute === undefined || node === undefined || findings.has(node.pointer)) continue;
    const subject = `the expiry attribute ${shownName(attribute)} of ${shownName(name)} (x-persist ttl)`;
    const largest = largestAllowed(node, new Set());
    const milliseconds = millisecondsHint(api, attribute, node);
    if (milliseconds !== undefined)
      findings.set(node.pointer, {
        rule: 'expiry',
        pointer: node.pointer,
        message: `${subject} reads as milliseconds since the epoch (${milliseconds}): DynamoDB takes it as seconds, and an item whose expiry is in milliseconds never expires there. Store seconds, e.g. Math.floor(Date.now() / 1000) + lifetime`,
      });
    else if (largest !== undefined && largest < farFuture)
      findings.set(node.pointer, {
        rule: 'expiry',
        pointer: node.pointer,
        message: `${subject} allows no value above ${largest} (${instant(largest)} in seconds since the epoch): an item cannot be given a later expiry${largest === int32Max ? ' (an int32 ends there)' : ''}. Allow larger values: format int64, or no format`,
      });
  }
  return [...findings.values()];
}

// The largest value the schema and its allOf parts allow, where one is bounded.
function largestAllowed(node: SchemaNode, seen: Set<SchemaNode>): number | undefined {
  if (seen.has(node)) return undefined;
  seen.add(node);
  const bounds: number[] = [];
  if (node.format === 'int32') bounds.push(int32Max);
  if (node.maximum !== undefined) bounds.push(Number(node.maximum));
  if (node.exclusiveMaximum !== undefined)
    bounds.push(Math.ceil(Number(node.exclusiveMaximum)) - 1);
  for (const part of node.allOf ?? []) {
    const bound = largestAllowed(part, seen);
    if (bound !== undefined) bounds.push(bound);
  }
  return bounds.length === 0 ? undefined : Math.min(...bounds);
}

// Why the attribute reads as milliseconds, or undefined.
function millisecondsHint(api: Api, attribute: string, node: SchemaNode): string | undefined {
  if (/(?:Ms|_ms|Millis|_millis|Milliseconds?)$/.test(attribute)) return 'its name';
  const written = valueAtPointer(api.document, node.pointer);
  const raw =
    typeof written === 'object' && written !== null ? (written as Record<string, unknown>) : {};
  // `ms`, or `Ms` opening a sentence; not `MS`, as often Microsoft.
  if (
    typeof raw.description === 'string' &&
    (/milli ?seconds?|millis\b/i.test(raw.description) ||
      /\bms\b|(?:^|[.!?:;]\s+)Ms\b/.test(raw.description))
  )
    return 'its description';
  const values: [string, unknown][] = [
    ['minimum', node.minimum],
    ['exclusiveMinimum', node.exclusiveMinimum],
    ['default', raw.default],
    ['example', raw.example],
    ...(Array.isArray(raw.examples)
      ? raw.examples.map((value): [string, unknown] => ['examples', value])
      : []),
    ...(node.enum ?? []).map((value): [string, unknown] => ['enum', value]),
    ...(node.const ? [['const', node.const.value] as [string, unknown]] : []),
  ];
  for (const [keyword, value] of values)
    if (
      (typeof value === 'number' || typeof value === 'bigint') &&
      Number(value) >= millisecondsFrom
    )
      return `its ${keyword} ${value}`;
  return undefined;
}

function instant(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? 'out of range' : date.toISOString();
}
