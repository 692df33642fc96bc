import type { Api, SchemaNode } from '@macaron/core';
import { quotedName, shownJson, shownName } from '@macaron/core/backend';
import type { SpecFinding } from './spec-finding.js';

/**
 * Discriminators that refuse every value: the discriminator selects a variant by the value of
 * its property (its `mapping`'s values, else the variants' schema names), and the property's
 * own schema (an `enum` or `const`, of the schema or of its allOf parts) allows none of those.
 * A variant's value is its schema name unless it declares one (`x-ms-discriminator-value`, as
 * Azure's specs do, or `x-discriminator-value`), which core reads as its mapping. One finding at each such discriminator, under the name of the schema
 * that holds it (else the first name whose allOf parts reach it).
 */
export function discriminatorValueFindings(api: Api): SpecFinding[] {
  const findings = new Map<string, SpecFinding>();
  // Each node once, under the first name that reaches it: a parent of thousands of variants
  // (Microsoft Graph's `entity`) is reached from each of them, and reading its whole mapping
  // every time made linting them quadratic.
  const considered = new Set<SchemaNode>();
  const add = (node: SchemaNode, name: string) => {
    if (considered.has(node)) return;
    considered.add(node);
    const finding = refusingDiscriminator(node, name);
    if (finding && !findings.has(finding.pointer)) findings.set(finding.pointer, finding);
  };
  // A named schema's own discriminator under its own name, before those its allOf parts reach.
  for (const name of api.modelNames()) add(api.schema(name), name);
  for (const name of api.modelNames()) {
    const seen = new Set<SchemaNode>();
    const visit = (node: SchemaNode) => {
      if (seen.has(node)) return;
      seen.add(node);
      add(node, name);
      for (const member of node.allOf ?? []) visit(member);
    };
    visit(api.schema(name));
  }
  return [...findings.values()];
}

function refusingDiscriminator(node: SchemaNode, name: string): SpecFinding | undefined {
  const discriminator = node.discriminator;
  // OpenAPI 3.2's defaultMapping gives every value a variant.
  if (discriminator === undefined || discriminator.defaultMapping !== undefined) return undefined;
  const selecting = Object.keys(discriminator.mapping);
  if (selecting.length === 0) return undefined;
  const allowed = allowedValues(node, discriminator.propertyName, new Set());
  if (allowed === undefined || allowed.some((value) => selecting.includes(value as string)))
    return undefined;
  const list = (values: readonly unknown[]) => values.map(shownValue).join(', ');
  // null selects no variant: the schema itself (or its oneOf members) decides, and may take it.
  const refused = allowed.includes(null)
    ? 'every value but null is refused'
    : 'every value is refused';
  return {
    rule: 'discriminator-values',
    pointer: `${node.pointer}/discriminator`,
    message: `the discriminator of ${shownName(name)} selects a variant by the value of ${shownName(discriminator.propertyName)} (${list(selecting)}: its mapping, else each variant's x-ms-discriminator-value or schema name), but its schema allows only ${allowed.length === 0 ? 'no value' : list(allowed)}: ${refused}. Map those values to the variants in discriminator.mapping`,
  };
}

// A value as a message shows it: JSON, its text quoted and escaped as a name is (the text in
// an object or array too: JSON leaves line separators and bidi controls as they are).
function shownValue(value: unknown): string {
  return typeof value === 'string' ? quotedName(value) : shownJson(value);
}

// The values the schema of a node's property allows, as its enum or const (of the property's
// schema or its allOf parts, of the node or its allOf parts) lists them; undefined where none
// bounds them.
function allowedValues(
  node: SchemaNode,
  property: string,
  seen: Set<SchemaNode>,
): unknown[] | undefined {
  if (seen.has(node)) return undefined;
  seen.add(node);
  let allowed = Object.hasOwn(node.properties, property)
    ? listedValues(node.properties[property]!, new Set())
    : undefined;
  for (const part of node.allOf ?? [])
    allowed = bothAllow(allowed, allowedValues(part, property, seen));
  return allowed;
}

function listedValues(schema: SchemaNode, seen: Set<SchemaNode>): unknown[] | undefined {
  if (seen.has(schema)) return undefined;
  seen.add(schema);
  let allowed = schema.const !== undefined ? [schema.const.value] : undefined;
  allowed = bothAllow(allowed, schema.enum);
  for (const part of schema.allOf ?? []) allowed = bothAllow(allowed, listedValues(part, seen));
  return allowed;
}

// The values two bounds both allow; undefined (no bound) allows every value.
function bothAllow(
  left: readonly unknown[] | undefined,
  right: readonly unknown[] | undefined,
): unknown[] | undefined {
  if (right === undefined) return left && [...left];
  return left === undefined ? [...right] : left.filter((value) => right.includes(value));
}
