import {
  builtByCore,
  checkCondition,
  conditionTakenNow,
  frozenCondition,
} from './check-condition.js';
import type { Condition } from './condition.js';
import { checkExpressionLimits } from './expression-limits.js';
import type { ModelDescriptor } from './table-descriptor.js';

/** The conditions an operation needs for itself (see `modelConditions`). */
export interface ModelConditions {
  /** No item has the key. */
  readonly absent: Condition;
  /** An item of this model has the key. */
  readonly existing: Condition;
  /** No item has the key, or it is one of this model's (for deletes). */
  readonly absentOrOwn: Condition | undefined;
}

// Built once a model: the same objects every call, which backends may cache expressions by.
const conditionsByModel = new WeakMap<ModelDescriptor, ModelConditions>();

/**
 * The conditions an operation needs for itself, so that models sharing a table never
 * touch each other's items and creates never overwrite. Computed once a model.
 */
export function modelConditions(model: ModelDescriptor): ModelConditions {
  let conditions = conditionsByModel.get(model);
  if (!conditions) {
    conditions = buildModelConditions(model);
    conditionsByModel.set(model, conditions);
  }
  return conditions;
}

function buildModelConditions(model: ModelDescriptor): ModelConditions {
  const partition = model.table.partitionKey.name;
  const discriminator = model.table.discriminatorAttribute;
  const ownModel: Condition | undefined =
    discriminator && model.discriminatorValue !== undefined
      ? { attr: discriminator, eq: model.discriminatorValue }
      : undefined;
  const absent: Condition = { attr: partition, exists: false };
  const present: Condition = { attr: partition, exists: true };
  return {
    /** No item has the key. */
    absent: frozenCondition(absent),
    /** An item of this model has the key. */
    existing: frozenCondition(ownModel ? ({ and: [present, ownModel] } as Condition) : present),
    /** No item has the key, or it is one of this model's (for deletes). */
    absentOrOwn: ownModel ? frozenCondition({ or: [absent, ownModel] } as Condition) : undefined,
  };
}

/**
 * The caller's condition, taken as it reads now and checked, and-ed with the one the operation
 * needs for itself (`own`, which core built). Marked as core's (`builtByCore`): the backend's
 * check does not copy it again.
 */
export function withCallerCondition(
  caller: Condition | undefined,
  own: Condition | undefined,
): Condition | undefined {
  // Core's own (the operation's, built for this call or once a model): the backend's check
  // need not copy it.
  if (caller === undefined) return builtByCore(own);
  // Checked and sent as it reads now, whatever the caller's object answers later.
  const taken = conditionTakenNow(caller);
  checkCondition(taken, 'condition');
  if (own === undefined) return builtByCore(taken);
  const combined: Condition = { and: [own, taken] };
  // The operation's own conditions count against DynamoDB's limits too.
  checkExpressionLimits({ condition: combined }, 'condition');
  return builtByCore(combined);
}
