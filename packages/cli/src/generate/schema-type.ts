import type { SchemaNode, SchemaType } from '@macaron/core';
import { propertyKey, quote } from './type-identifiers.js';

/** A type expression and how tightly it binds, to parenthesise it where needed. */
export interface TypeText {
  /** The TypeScript type. */
  text: string;
  /** `union` (`A | B`), `intersection` (`A & B`) or `primary` (anything else). */
  binding: 'union' | 'intersection' | 'primary';
}

const primary = (text: string): TypeText => ({ text, binding: 'primary' });

function union(parts: readonly TypeText[]): TypeText {
  const texts = [...new Set(parts.map((part) => part.text))];
  if (texts.length === 0) return primary('never');
  if (texts.length === 1) return parts.find((part) => part.text === texts[0])!;
  return { text: texts.join(' | '), binding: 'union' };
}

function intersection(parts: readonly TypeText[]): TypeText {
  const unique = parts.filter(
    (part, index) => parts.findIndex((other) => other.text === part.text) === index,
  );
  if (unique.length === 0) return primary('unknown');
  if (unique.length === 1) return unique[0]!;
  return {
    text: unique
      .map((part) => (part.binding === 'union' ? `(${part.text})` : part.text))
      .join(' & '),
    binding: 'intersection',
  };
}

function literal(value: unknown): TypeText | undefined {
  if (value === null) return primary('null');
  if (typeof value === 'string') return primary(quote(value));
  if (typeof value === 'boolean') return primary(String(value));
  if (typeof value === 'number' && Number.isFinite(value)) return primary(String(value));
  return undefined;
}

/** Turns normalised schemas into TypeScript types; named schemas become references. */
export class SchemaTypeWriter {
  private readonly stack = new Set<SchemaNode>();

  constructor(private readonly identifiers: ReadonlyMap<string, string>) {}

  /** The type of `node`; `root` (the schema being declared) is expanded, not referenced. */
  typeOf(node: SchemaNode, indent = '', root?: SchemaNode): TypeText {
    if (node !== root && node.name !== undefined) {
      const identifier = this.identifiers.get(node.name);
      if (identifier) return primary(identifier);
    }
    // An unnamed schema that contains itself (a $ref to a non-component pointer) has no name to refer to.
    if (this.stack.has(node)) return primary('unknown');
    this.stack.add(node);
    try {
      return this.expand(node, indent);
    } finally {
      this.stack.delete(node);
    }
  }

  private expand(node: SchemaNode, indent: string): TypeText {
    const members = [node.allOf, node.oneOf, node.anyOf].filter(
      (list): list is SchemaNode[] => list !== undefined && list.length > 0,
    );
    const ownShape =
      Object.keys(node.properties).length > 0 || node.additionalProperties !== undefined;
    const plainObject = (node.types ?? []).every((type) => type === 'object' || type === 'null');
    // `type: object` beside allOf/oneOf/anyOf says no more than its members do.
    const nullable = node.types?.includes('null') === true && members.length > 0;
    // With members, null is added to the whole (A & B) | null, not to the base alone.
    const own = nullable ? { ...node, types: node.types!.filter((type) => type !== 'null') } : node;
    const base =
      members.length > 0 && !ownShape && plainObject && !node.enum && !node.const
        ? undefined
        : this.baseType(own, indent);
    const parts: TypeText[] = base ? [base] : [];
    for (const member of node.allOf ?? []) parts.push(this.typeOf(member, indent));
    for (const list of [node.oneOf, node.anyOf]) {
      if (list && list.length > 0)
        parts.push(union(list.map((member) => this.typeOf(member, indent))));
    }
    const type = parts.length === 0 ? primary('unknown') : intersection(parts);
    return nullable ? union([type, primary('null')]) : type;
  }

  private baseType(node: SchemaNode, indent: string): TypeText | undefined {
    const nullable = node.types?.includes('null') === true;
    if (node.const) {
      const found = literal(node.const.value);
      if (found) return found;
    }
    if (node.enum && node.enum.length > 0) {
      const values = node.enum.map(literal);
      if (values.every((value) => value !== undefined)) {
        return union([...(values as TypeText[]), ...(nullable ? [primary('null')] : [])]);
      }
    }
    if (node.types) return union(node.types.map((type) => this.typeOfType(type, node, indent)));
    const hasShape =
      Object.keys(node.properties).length > 0 || node.additionalProperties !== undefined;
    if (hasShape) return this.objectType(node, indent);
    if (node.items) return this.typeOfType('array', node, indent);
    const combined =
      (node.allOf?.length ?? 0) + (node.oneOf?.length ?? 0) + (node.anyOf?.length ?? 0);
    return combined > 0 ? undefined : primary('unknown');
  }

  private typeOfType(type: SchemaType, node: SchemaNode, indent: string): TypeText {
    switch (type) {
      case 'string':
        return primary(node.format === 'binary' ? 'Uint8Array' : 'string');
      case 'integer':
        return node.format === 'int64'
          ? { text: 'number | bigint', binding: 'union' }
          : primary('number');
      case 'number':
        return primary('number');
      case 'boolean':
        return primary('boolean');
      case 'null':
        return primary('null');
      case 'object':
        return this.objectType(node, indent);
      case 'array': {
        if (!node.items) return primary('unknown[]');
        const item = this.typeOf(node.items, indent);
        return primary(item.binding === 'primary' ? `${item.text}[]` : `(${item.text})[]`);
      }
    }
  }

  private objectType(node: SchemaNode, indent: string): TypeText {
    const names = Object.keys(node.properties);
    const extra = node.additionalProperties;
    if (names.length === 0) {
      if (extra === false) return primary('Record<string, never>');
      if (extra === undefined) return primary('Record<string, unknown>');
      return primary(`Record<string, ${this.typeOf(extra, indent).text}>`);
    }
    const inner = `${indent}  `;
    const lines = names.map((name) => {
      const optional = node.required.includes(name) ? '' : '?';
      const type = this.typeOf(node.properties[name]!, inner).text;
      return `${inner}${propertyKey(name)}${optional}: ${type};`;
    });
    // Named properties and an index signature must agree: other properties are left open.
    if (extra) lines.push(`${inner}[property: string]: unknown;`);
    return primary(`{\n${lines.join('\n')}\n${indent}}`);
  }
}
