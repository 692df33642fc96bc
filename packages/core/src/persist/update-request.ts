import { ConditionFailedError, InvalidRequestError } from '../errors/persistence-errors.js';
import { shownName } from '../errors/shown-name.js';
import type { ValidationProblem } from '../errors/validation-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { evaluateCondition } from '../evaluate/evaluate-condition.js';
import { isBytes, isSet } from '../schema/builtin-values.js';
import { propertySchema } from '../schema/copy-value.js';
import { appendPointer } from '../schema/json-pointer.js';
import { maxProblems } from '../schema/max-problems.js';
import { ownProperty } from '../schema/own-property.js';
import { addGuards, boundBrokenByAdd, numberBounds } from './add-bounds.js';
import { frozenCondition } from './check-condition.js';
import type { Condition } from './condition.js';
import { checkExpressionLimits, operationsChecked } from './expression-limits.js';
import { modelConditions, withCallerCondition } from './model-conditions.js';
import type { StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';
import { toUpdateOperations, type UpdateChanges } from './update-changes.js';
import { type Guard, guardsOfAdd, guardsOfAppend } from './update-guards.js';
import type { UpdateOperation } from './update-operation.js';
import { keepPrepared, preparedBefore } from './update-shape-cache.js';

/** An atomic update ready to send, with the condition it needs for itself. */
export interface PreparedUpdate {
  /** The operations, validated; frozen and shared where the change repeats the model's last. */
  readonly operations: readonly UpdateOperation[];
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
   * The error for a failed condition over a stored item: an `add` or `append` to a value of
   * another type (`InvalidRequestError`, as the store answers it unguarded), the bound an
   * `add` would have broken, by name, the caller's condition, or a change made since the
   * write failed.
   */
  explainFailure(
    stored: StoredItem,
    error: ConditionFailedError,
  ): ConditionFailedError | InvalidRequestError;
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
  const repeated =
    callerCondition === undefined ? preparedBefore<PreparedUpdate>(operations) : undefined;
  if (repeated) return repeated;
  const guards: Condition[] = [];
  for (const { name, delta, bounds } of boundedAdds(model, operations)) {
    const guard = addGuards(name, delta, bounds);
    if (!Array.isArray(guard)) {
      throw new ValidationError(`Invalid update of ${shownName(model.name)}`, [
        {
          pointer: appendPointer('', name),
          keyword: guard.keyword,
          message: `adding ${String(delta)} cannot be checked exactly against ${guard.description}`,
        },
      ]);
    }
    guards.push(...guard);
  }
  const kept = keptBySchema(model, operations);
  for (const { guard } of kept) guards.push(guard.condition);
  const existing = modelConditions(model).existing;
  const own: Condition = guards.length > 0 ? { and: [existing, ...guards] } : existing;
  // Kept for the next same change: frozen, so that backends check it once.
  const reused = callerCondition === undefined && Object.isFrozen(operations);
  const condition = reused ? frozenCondition(own) : withCallerCondition(callerCondition, own)!;
  checkExpressionLimits({ operations, condition }, 'update()');
  // Frozen (a repeated add-only change's), they are not estimated again where the backend is given them.
  operationsChecked(operations);
  const prepared: PreparedUpdate = {
    operations,
    condition,
    onlyExistenceChecked: callerCondition === undefined && guards.length === 0,
    explainFailure(stored, error) {
      // A bound's condition fails on a value that is no number (no list) as well: another
      // client's NULL, string or map, which no add (append) takes, guarded or not (P-36). The
      // store checks the whole condition before the change: the change is the answer only
      // where every other part of it holds, the caller's condition and the bounds of the
      // attributes that hold a number (a list) alike; else that part is, as without it.
      const misTyped = misTypedChanges(operations, stored);
      const fits = (name: string) => !misTyped.has(name);
      const brokenBound = boundedAdds(model, operations)
        .filter(({ name }) => fits(name))
        .map(({ name, delta, bounds }) => {
          const current = ownProperty(stored, name);
          const broken = boundBrokenByAdd(current, delta, bounds);
          return broken
            ? // Not the stored value: the message reaches replies, and the property may be writeOnly.
              `adding ${String(delta)} to ${shownName(name)}${current === undefined ? ' (absent, counted as 0)' : ''} would break ${broken.description} (${broken.keyword})`
            : undefined;
        })
        .find((message) => message !== undefined);
      const brokenGuard =
        brokenBound === undefined
          ? kept.find(
              ({ name, guard }) => fits(name) && !evaluateCondition(guard.condition, stored),
            )
          : undefined;
      const [firstMisTyped] = misTyped.values();
      if (
        firstMisTyped !== undefined &&
        brokenBound === undefined &&
        brokenGuard === undefined &&
        (callerCondition === undefined || evaluateCondition(callerCondition, stored))
      ) {
        return new InvalidRequestError(
          `update() of ${shownName(model.name)}: cannot ${firstMisTyped}, as the store refuses it (set the attribute first); nothing changed`,
          { cause: error },
        );
      }
      if (brokenBound !== undefined)
        return new ConditionFailedError(
          `update() of ${shownName(model.name)}: ${brokenBound}; nothing changed`,
          { cause: error },
        );
      if (brokenGuard !== undefined) {
        const { name, change, guard } = brokenGuard;
        return new ConditionFailedError(
          `update() of ${shownName(model.name)}: ${change} ${shownName(name)} would break ${guard.description} (${guard.keyword}); nothing changed`,
          { cause: error },
        );
      }
      // The item read back fits every condition as core evaluates it: when the update ran it
      // was missing or did not fit, and another writer changed it since (or the engine
      // compares otherwise, docs/engines.md). Which, cannot be told.
      if (evaluateCondition(condition, stored))
        return new ConditionFailedError(
          `update() of ${shownName(model.name)}: the condition did not hold when the update ran, or there was no item; the item read back fits it, so another writer has changed it since (or the engine compares values otherwise). Nothing changed`,
          { cause: error },
        );
      return error;
    },
  };
  if (reused) keepPrepared(operations, prepared);
  return prepared;
}

/**
 * Each `add` whose stored attribute holds no number, or `append` whose stored attribute holds
 * no list (a missing one counts as 0 or as empty), by name, as a message says it. Not the
 * stored value itself: the message reaches replies, and the property may be writeOnly.
 */
function misTypedChanges(
  operations: readonly UpdateOperation[],
  stored: StoredItem,
): Map<string, string> {
  const found = new Map<string, string>();
  for (const operation of operations) {
    if (typeof operation.path !== 'string' || found.has(operation.path)) continue;
    const current = ownProperty(stored, operation.path);
    if (current === undefined) continue;
    const name = shownName(operation.path);
    if (operation.action === 'add' && typeof current !== 'number' && typeof current !== 'bigint')
      found.set(operation.path, `add to ${name}: it holds ${storedType(current)}, not a number`);
    if (operation.action === 'append' && !Array.isArray(current))
      found.set(operation.path, `append to ${name}: it holds ${storedType(current)}, not a list`);
  }
  return found;
}

// The kind of a stored value, as DynamoDB's types name it loosely.
function storedType(value: unknown): string {
  if (value === null) return 'null';
  if (isBytes(value)) return 'bytes';
  if (isSet(value)) return 'a set';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}

// The conditions that keep each `add`'s `multipleOf` and `enum`, and each `append`'s
// `maxItems` and `uniqueItems` (see `update-guards.ts`); a change that can never keep one is a
// `ValidationError` at its property, before anything is sent.
function keptBySchema(model: ModelDescriptor, operations: readonly UpdateOperation[]) {
  const kept: { name: string; change: string; guard: Extract<Guard, { condition: Condition }> }[] =
    [];
  const refused: ValidationProblem[] = [];
  for (const operation of operations) {
    if (typeof operation.path !== 'string' || operation.path === model.versionAttribute) continue;
    if (operation.action !== 'add' && operation.action !== 'append') continue;
    const node = propertySchema(model.schema, operation.path);
    if (!node) continue;
    const name = operation.path;
    const guards =
      operation.action === 'add'
        ? guardsOfAdd(name, operation.value, node)
        : guardsOfAppend(name, operation.value, node);
    const change =
      operation.action === 'add'
        ? `adding ${String(operation.value)} to`
        : `appending ${operation.value.length} items to`;
    for (const guard of guards) {
      // Past `maxProblems`, as toUpdateOperations has it: one refused per name of a large change.
      if ('refused' in guard) {
        if (refused.length < maxProblems)
          refused.push({
            pointer: appendPointer('', name),
            keyword: guard.keyword,
            message: guard.refused,
          });
      } else kept.push({ name, change, guard });
    }
  }
  if (refused.length > 0)
    throw new ValidationError(`Invalid update of ${shownName(model.name)}`, refused);
  return kept;
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
