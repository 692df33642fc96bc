import { ConditionFailedError } from '../errors/persistence-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { propertySchema } from '../schema/copy-value.js';
import { appendPointer } from '../schema/json-pointer.js';
import { ownProperty } from '../schema/own-property.js';
import { addGuards, boundBrokenByAdd, numberBounds } from './add-bounds.js';
import type { Condition } from './condition.js';
import { checkExpressionLimits } from './expression-limits.js';
import { modelConditions, withCallerCondition } from './model-conditions.js';
import type { StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';
import { toUpdateOperations, type UpdateChanges } from './update-changes.js';
import type { UpdateOperation } from './update-operation.js';

/** An atomic update ready to send, with the condition it needs for itself. */
export interface PreparedUpdate {
  /** The operations, validated. */
  readonly operations: UpdateOperation[];
  /**
   * The item must exist (and be this model's), every `add` must keep its property's schema
   * bounds, and the caller's condition must hold: all checked by the store in the one write.
   */
  readonly condition: Condition;
  /**
   * True when only "the item exists" can have failed (no caller's condition, no bound to
   * keep): a failed condition then means the item is missing, without a read to tell.
   */
  readonly onlyExistenceChecked: boolean;
  /**
   * The error for a failed condition over a stored item: the bound an `add` would have
   * broken, by name, or the caller's condition.
   */
  explainFailure(stored: StoredItem, error: ConditionFailedError): ConditionFailedError;
}

/**
 * Prepares `update()`, alone or in a transaction. An `add` is guarded by a condition on the
 * stored value (`n >= minimum - delta`, a missing `n` counting as 0), so the store never
 * holds a value that a load-then-save would refuse, whatever concurrent writers do.
 */
export function prepareUpdate(
  model: ModelDescriptor,
  changes: UpdateChanges,
  callerCondition?: Condition,
): PreparedUpdate {
  // The limits are checked below, over the update and its condition together.
  const operations = toUpdateOperations(model, changes, { checkLimits: false });
  const guards: Condition[] = [];
  for (const { name, delta, bounds } of boundedAdds(model, operations)) {
    const guard = addGuards(name, delta, bounds);
    if (!Array.isArray(guard)) {
      throw new ValidationError(`Invalid update of ${model.name}`, [
        {
          pointer: appendPointer('', name),
          keyword: guard.keyword,
          message: `adding ${String(delta)} cannot be checked exactly against ${guard.description}`,
        },
      ]);
    }
    guards.push(...guard);
  }
  const existing = modelConditions(model).existing;
  const own: Condition = guards.length > 0 ? { and: [existing, ...guards] } : existing;
  const condition = withCallerCondition(callerCondition, own)!;
  checkExpressionLimits({ operations, condition }, 'update()');
  return {
    operations,
    condition,
    onlyExistenceChecked: callerCondition === undefined && guards.length === 0,
    explainFailure(stored, error) {
      for (const { name, delta, bounds } of boundedAdds(model, operations)) {
        const current = ownProperty(stored, name);
        const broken = boundBrokenByAdd(current, delta, bounds);
        if (broken) {
          return new ConditionFailedError(
            `update() of ${model.name}: adding ${String(delta)} to ${name} (stored: ${current === undefined ? 'none, counted as 0' : String(current)}) would break ${broken.description} (${broken.keyword}); nothing changed`,
            { cause: error },
          );
        }
      }
      return error;
    },
  };
}

function boundedAdds(model: ModelDescriptor, operations: readonly UpdateOperation[]) {
  const adds: { name: string; delta: number | bigint; bounds: ReturnType<typeof numberBounds> }[] =
    [];
  for (const operation of operations) {
    if (operation.action !== 'add' || typeof operation.path !== 'string') continue;
    if (operation.path === model.versionAttribute) continue;
    const bounds = numberBounds(propertySchema(model.schema, operation.path));
    if (bounds.length > 0) adds.push({ name: operation.path, delta: operation.value, bounds });
  }
  return adds;
}
