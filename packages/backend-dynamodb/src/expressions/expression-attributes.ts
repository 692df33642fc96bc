import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributePath, StoredValue } from '@macaron/core';
import { toAttributeValue } from '../values/attribute-value.js';

/**
 * Collects the placeholders of one request. Every attribute name becomes `#n…` and every
 * value `:v…`: no name or value is ever pasted into an expression, so hostile names and
 * reserved words cannot change its meaning.
 */
export class ExpressionAttributes {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  /** The values given, in the order of their placeholders. */
  readonly given: StoredValue[] = [];
  private readonly nameIds = new Map<string, string>();
  private valueCount = 0;

  /** The placeholder of one attribute name (the same name gets the same placeholder). */
  name(name: string): string {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = `#n${this.nameIds.size}`;
      this.nameIds.set(name, id);
      this.names[id] = name;
    }
    return id;
  }

  /** A document path: names as placeholders, list positions as `[n]`. */
  path(path: AttributePath): string {
    if (typeof path === 'string') return this.name(path);
    let expression = '';
    for (const segment of path) {
      if (typeof segment === 'number') expression += `[${segment}]`;
      else expression += expression === '' ? this.name(segment) : `.${this.name(segment)}`;
    }
    return expression;
  }

  /** The placeholder of a value. */
  value(value: StoredValue): string {
    const id = `:v${this.valueCount++}`;
    this.values[id] = toAttributeValue(value);
    this.given.push(value);
    return id;
  }

  /** The names and values to send, omitting empty maps (DynamoDB refuses them). */
  toRequest(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  } {
    return {
      ...(this.nameIds.size > 0 ? { ExpressionAttributeNames: this.names } : {}),
      ...(this.valueCount > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}
