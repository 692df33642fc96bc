import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Condition, StoredValue, UpdateOperation } from '@macaron/core';
import { toAttributeValue } from '../values/attribute-value.js';
import { conditionExpression } from './condition-expression.js';
import { ExpressionAttributes } from './expression-attributes.js';
import { updateExpression } from './update-expression.js';

/** The expression fields of an UpdateItem request. */
export interface UpdateRequestExpressions {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

interface KeptExpressions {
  readonly condition: Condition | undefined;
  readonly update: string;
  readonly conditionText: string | undefined;
  readonly names: Readonly<Record<string, string>> | undefined;
  readonly valueIds: readonly string[];
  readonly values: readonly StoredValue[];
}

// Core sends the same frozen operations and condition for the same change (a counter's
// `update()`): their expressions are written once. Keyed by the frozen objects themselves,
// which nothing can change, so an entry lives only as long as core keeps them.
const keptByOperations = new WeakMap<readonly UpdateOperation[], KeptExpressions>();

/**
 * The UpdateExpression and ConditionExpression of an update, with their placeholders. Each
 * request gets maps and attribute values of its own (an application's middleware may change
 * them), marshalled again from the values.
 */
export function updateRequestExpressions(
  operations: readonly UpdateOperation[],
  condition: Condition | undefined,
): UpdateRequestExpressions {
  const kept = keptByOperations.get(operations);
  if (kept !== undefined && kept.condition === condition) return fieldsOf(kept);
  const attributes = new ExpressionAttributes();
  const update = updateExpression(operations, attributes);
  const conditionText = condition ? conditionExpression(condition, attributes) : undefined;
  const request = attributes.toRequest();
  if (frozenWithScalars(operations) && (condition === undefined || frozenWithScalars(condition)))
    keptByOperations.set(operations, {
      condition,
      update,
      conditionText,
      // A copy: this request's own map is the application's middleware's to change.
      names: request.ExpressionAttributeNames && { ...request.ExpressionAttributeNames },
      valueIds: Object.keys(attributes.values),
      values: attributes.given,
    });
  return {
    UpdateExpression: update,
    ...(conditionText ? { ConditionExpression: conditionText } : {}),
    ...request,
  };
}

function fieldsOf(kept: KeptExpressions): UpdateRequestExpressions {
  const fields: UpdateRequestExpressions = { UpdateExpression: kept.update };
  if (kept.conditionText) fields.ConditionExpression = kept.conditionText;
  if (kept.names) fields.ExpressionAttributeNames = { ...kept.names };
  if (kept.values.length > 0) {
    const values: Record<string, AttributeValue> = {};
    for (let index = 0; index < kept.values.length; index++)
      values[kept.valueIds[index]!] = toAttributeValue(kept.values[index]!);
    fields.ExpressionAttributeValues = values;
  }
  return fields;
}

// Frozen to the last member, holding nothing but strings, numbers, bigints, booleans and
// null in plain lists and objects, without getters: a Set, bytes or a Date can change though
// frozen, and a getter can answer otherwise next time.
function frozenWithScalars(value: unknown): boolean {
  if (value === null || typeof value !== 'object')
    return typeof value !== 'function' && typeof value !== 'symbol';
  if (!Object.isFrozen(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Array.prototype && prototype !== Object.prototype && prototype !== null)
    return false;
  for (const name of Reflect.ownKeys(value)) {
    const member = Object.getOwnPropertyDescriptor(value, name)!;
    if (!('value' in member) || !frozenWithScalars(member.value)) return false;
  }
  return true;
}
