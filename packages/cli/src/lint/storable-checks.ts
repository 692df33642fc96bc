import type { Api, SchemaNode } from '@macaron/core';
import { pointerToken } from '../spec/pointer-token.js';
import type { SpecFinding } from './spec-finding.js';

// DynamoDB's limits: numbers of at most 38 digits between 1e-130 and 1e126, nesting of at
// most 32 levels, attribute names of 1 to 65,535 UTF-8 bytes at any depth (key names past 255
// bytes are refused by loadApi itself).
const largestStorable = 9.999999999999999e125;
const smallestStorable = 1e-130;
const maxNesting = 32;
const maxNameBytes = 65_535;
const safeLimit = Number.MAX_SAFE_INTEGER;

// Why no value can be stored under a property of this name, at any depth of an item: core
// refuses the name on every write (P-14), as DynamoDB does.
function unstorableName(name: string): string | undefined {
  if (name === '') return 'DynamoDB attribute names cannot be empty';
  if (!name.isWellFormed())
    return 'this attribute name holds a lone surrogate, which is not valid Unicode: no value can be stored under it';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > maxNameBytes)
    return `this attribute name is ${bytes.toLocaleString('en-US')} UTF-8 bytes long; DynamoDB allows at most ${maxNameBytes.toLocaleString('en-US')}`;
  return undefined;
}

// A number as a message shows it: an integer the spec wrote with an exponent (`1e200`, read as
// the bigint 10^200) with it again, exactly (its trailing zeros as the exponent).
function shownNumber(value: number | bigint): string {
  if (typeof value === 'number') return String(value);
  const digits = (value < 0n ? -value : value).toString();
  const significant = digits.replace(/0+$/, '');
  const exponent = digits.length - 1;
  if (digits.length - significant.length < 21) return String(value);
  const mantissa =
    significant.length > 1 ? `${significant[0]}.${significant.slice(1)}` : significant;
  return `${value < 0n ? '-' : ''}${mantissa}e+${exponent}`;
}

function unstorableNumber(value: number | bigint): string | undefined {
  // An integer the spec wrote beyond 2^53, read exactly: DynamoDB holds 38 significant digits.
  if (typeof value === 'bigint') {
    const digits = (value < 0n ? -value : value).toString().replace(/0+$/, '');
    if (value >= 10n ** 126n || value <= -(10n ** 126n)) return 'is above 1e126';
    return digits.length > 38 ? 'has more than 38 significant digits' : undefined;
  }
  const magnitude = Math.abs(value);
  if (magnitude > largestStorable) return 'is above 1e126';
  if (magnitude !== 0 && magnitude < smallestStorable) return 'is below 1e-130';
  if (Number.isInteger(value) && !Number.isSafeInteger(value))
    return 'is an integer beyond 2^53 that JSON cannot carry exactly';
  return undefined;
}

/**
 * What DynamoDB cannot store in the persistent models of a loaded spec: allowed numbers it
 * cannot hold, integers beyond 2^53 without `format: int64`, nesting deeper than 32 levels,
 * and property names it refuses at any depth (empty, a lone surrogate, past 65,535 bytes).
 */
export function storabilityFindings(
  api: Api,
  // Named schemas checked as persistent models, whatever their x-persist says.
  persistent: ReadonlySet<string> = new Set(),
): SpecFinding[] {
  const findings = new Map<string, SpecFinding>();
  const add = (finding: SpecFinding) =>
    findings.set(`${finding.rule} ${finding.pointer} ${finding.message}`, finding);

  // Each node once per depth it is reached at: shared schemas reached by many paths (a
  // spec whose models all refer to a few common ones) would make the walk exponential.
  const visited = new Map<SchemaNode, Set<number>>();
  const visit = (node: SchemaNode, depth: number, stack: Set<SchemaNode>) => {
    if (stack.has(node)) return; // recursive schemas: depth depends on the data, not the schema
    const depths = visited.get(node) ?? new Set<number>();
    if (depths.has(depth)) return;
    depths.add(depth);
    visited.set(node, depths);
    stack.add(node);
    for (const value of [...(node.enum ?? []), ...(node.const ? [node.const.value] : [])]) {
      if (typeof value !== 'number' && typeof value !== 'bigint') continue;
      const problem = unstorableNumber(value);
      if (problem)
        add({
          rule: 'storable',
          pointer: node.pointer,
          message: `the allowed value ${shownNumber(value)} ${problem}: DynamoDB cannot store it`,
        });
    }
    for (const name of Object.keys(node.properties)) {
      const problem = unstorableName(name);
      if (problem)
        add({
          rule: 'storable',
          pointer: `${node.pointer}/properties/${pointerToken(name)}`,
          message: problem,
        });
    }
    const integer = node.types?.includes('integer') && !node.types.includes('number');
    if (integer && node.format !== 'int64') {
      // The least and greatest integers the bounds allow (the tighter of each pair).
      const lowest = Math.max(
        node.minimum === undefined ? -Infinity : Math.ceil(Number(node.minimum)),
        node.exclusiveMinimum === undefined
          ? -Infinity
          : Math.floor(Number(node.exclusiveMinimum)) + 1,
      );
      const highest = Math.min(
        node.maximum === undefined ? Infinity : Math.floor(Number(node.maximum)),
        node.exclusiveMaximum === undefined
          ? Infinity
          : Math.ceil(Number(node.exclusiveMaximum)) - 1,
      );
      const beyond =
        node.format === 'uint64' ||
        // A bound past 2^53 (no bound is a plain integer: no warning)…
        (Number.isFinite(highest) && highest > safeLimit) ||
        (Number.isFinite(lowest) && lowest < -safeLimit) ||
        // …or bounds that leave only such values: none can be stored without int64.
        lowest > safeLimit ||
        highest < -safeLimit;
      if (beyond)
        add({
          rule: 'int64',
          pointer: node.pointer,
          message:
            'this integer allows values beyond 2^53, which are stored exactly only with format: int64 (as bigint)',
        });
    }
    // The schemas of what values hold (one level deeper), then those that apply to the same
    // value (OpenAPI 3.1's keywords included); not `not`, `if` or `propertyNames`, which
    // describe no stored value.
    const children: [SchemaNode, number][] = [];
    const nested = [
      ...Object.values(node.properties),
      ...(node.patternProperties ?? []).map((entry) => entry.node),
      ...[node.additionalProperties, node.unevaluatedProperties].filter(isSchema),
      ...(node.prefixItems ?? []),
      ...[node.items, node.contains, node.unevaluatedItems].filter(isSchema),
    ];
    for (const child of nested) children.push([child, depth + 1]);
    const inPlace = [
      ...(node.allOf ?? []),
      ...(node.anyOf ?? []),
      ...(node.oneOf ?? []),
      ...[node.conditional?.matched, node.conditional?.otherwise].filter(isSchema),
      ...Object.values(node.dependentSchemas ?? {}),
    ];
    for (const member of inPlace) children.push([member, depth]);
    for (const [child, childDepth] of children) {
      if (childDepth > maxNesting && child !== node && !stack.has(child)) {
        add({
          rule: 'nesting-depth',
          pointer: child.pointer,
          message: `values here are nested ${childDepth} levels deep; DynamoDB stores at most ${maxNesting}`,
        });
        continue;
      }
      visit(child, childDepth, stack);
    }
    stack.delete(node);
  };

  for (const name of [...api.modelNames()].sort()) {
    const schema = api.schema(name);
    if (schema.persist === undefined && !persistent.has(name)) continue;
    visit(schema, 0, new Set());
  }
  return [...findings.values()];
}

function isSchema(node: SchemaNode | boolean | undefined): node is SchemaNode {
  return typeof node === 'object';
}
