import { shownJson, shownName } from '../errors/shown-name.js';
import { ValidationError } from '../errors/validation-error.js';
import { copyIfValid, sizeBoundOfLastCopy } from '../schema/checked-copy.js';
import { closedOut, closingParts } from '../schema/closed-names.js';
import {
  closedUnion,
  copyValue,
  membersRefuse,
  modelClassOf,
  propertySchema,
  type SetAside,
} from '../schema/copy-value.js';
import { appendPointer } from '../schema/json-pointer.js';
import { ownProperty, setOwnProperty } from '../schema/own-property.js';
import { isPlainObject } from '../schema/same-value.js';
import { validateValue } from '../schema/validate-value.js';
import { writeBackHeld } from './held-aside.js';
import { keyAttributeRoles, keyValueProblems } from './index-key-values.js';
import { sizeAboveLimit, valueSizeBound } from './item-size.js';
import { loadedItemOf, refuseProxiedObject } from './loaded-objects.js';
import { storesSameItems } from './same-stored-model.js';
import type { StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';

/**
 * The discriminator attribute of a model sharing a table when its schema declares it as a
 * property (P-76): its objects show the value stored there.
 */
export function declaredDiscriminator(model: ModelDescriptor): string | undefined {
  const discriminator = model.table.discriminatorAttribute;
  return discriminator !== undefined &&
    model.discriminatorValue !== undefined &&
    propertySchema(model.schema, discriminator) !== undefined
    ? discriminator
    : undefined;
}

/**
 * The stored form of a model object: its own properties as plain attributes, validated
 * against the schema, plus the discriminator where models share a table, plus the
 * attributes a closed schema does not declare that the object was loaded with (another
 * client's, written back unchanged). Throws `ValidationError` (with every problem's
 * pointer) before anything is written.
 */
export function toStoredItem(
  model: ModelDescriptor,
  value: object,
  maxItemBytes: number,
): StoredItem {
  refuseProxiedObject(value);
  const discriminator = model.table.discriminatorAttribute;
  const tagged = discriminator !== undefined && model.discriminatorValue !== undefined;
  // A declared discriminator is validated like any property; an undeclared one is added after.
  const declared = declaredDiscriminator(model) !== undefined;
  // Most objects are valid: copied and checked in one walk. The others (and a declared
  // discriminator, set before validation) are copied, then validated for their problems.
  const checked = declared
    ? undefined
    : (copyIfValid(model.schema, value) as StoredItem | undefined);
  const item = checked ?? (copyValue(model.schema, value, 'store') as StoredItem);
  // The checked copy's size bound, counted as it copied: the item is measured only above the
  // limit. Kept here alone: the backend walks the item it is given (a wrapper may change it).
  let sizeBound = checked ? sizeBoundOfLastCopy() : undefined;
  if (tagged && declared) setOwnProperty(item, discriminator, model.discriminatorValue!);
  // A required version the object does not hold yet is the one the write sets (P-23: 1 on a
  // create or a first save), after this check.
  const version = model.versionAttribute;
  const versionToSet =
    version !== undefined && !Object.hasOwn(item, version) ? appendPointer('', version) : undefined;
  const problems = checked
    ? []
    : validateValue(model.schema, item).filter(
        (problem) => !(problem.keyword === 'required' && problem.pointer === versionToSet),
      );
  // A declared discriminator the object sets to another value would be lost to the model's.
  const own = declared ? ownProperty(value as Record<string, unknown>, discriminator!) : undefined;
  if (own !== undefined && own !== model.discriminatorValue)
    problems.push({
      pointer: appendPointer('', discriminator!),
      keyword: 'discriminator',
      message: `must be ${shownJson(model.discriminatorValue)}, the value that marks ${shownName(model.name)} in table ${shownName(model.table.specName)}`,
    });
  const keyProblems = keyValueProblems(model.table, item, problems);
  if (keyProblems.length > 0) problems.push(...keyProblems);
  if (tagged && !declared) {
    setOwnProperty(item, discriminator, model.discriminatorValue!);
    if (sizeBound !== undefined)
      sizeBound += 3 * discriminator.length + valueSizeBound(model.discriminatorValue!);
  }
  // What the item held beside the object's properties goes back to where it was read from
  // only: not into another model's items, nor another API's tables (the same model of an API
  // loaded again on the same backend and table writes the same items).
  const read = loadedItemOf(value);
  const loaded = read && storesSameItems(model, modelClassOf(value)?.descriptor) ? read : undefined;
  const undeclared = loaded?.undeclared;
  if (undeclared) {
    // Another client's values, as they were stored: the item is measured.
    sizeBound = undefined;
    for (const name of Object.keys(undeclared))
      if (!Object.hasOwn(item, name)) setOwnProperty(item, name, undeclared[name]);
  }
  if (loaded?.setAside) {
    sizeBound = undefined;
    writeBack(model, item, loaded.setAside);
    writeBackHeld(value, item, loaded.setAside);
  }
  if (problems.length === 0) {
    const size =
      sizeBound !== undefined && sizeBound <= maxItemBytes
        ? undefined
        : sizeAboveLimit(item, maxItemBytes);
    if (size !== undefined) {
      problems.push({
        pointer: '',
        keyword: 'maxItemBytes',
        message: `is ${size} bytes, above the ${maxItemBytes}-byte item limit`,
      });
    }
  }
  if (problems.length > 0) throw new ValidationError(`Invalid ${shownName(model.name)}`, problems);
  return item;
}

/**
 * Puts back what the item the object was read from held and the object leaves out (see
 * `SetAside`), where the object still has the map that held it and nothing of that name:
 * another client's data is written back unchanged. Never a key attribute (a `NULL` there,
 * which no engine keeps as a key, is left out).
 */
function writeBack(model: ModelDescriptor, item: StoredItem, setAside: readonly SetAside[]) {
  for (const { path, holder, name, value } of setAside) {
    if (holder !== undefined) continue; // inside a list: see writeBackHeld
    let parent: unknown = item;
    for (const step of path) {
      parent = isPlainObject(parent) ? ownProperty(parent, step) : undefined;
      if (parent === undefined) break;
    }
    if (!isPlainObject(parent) || Object.hasOwn(parent, name)) continue;
    if (path.length === 0 && keyAttributeRoles(model.table).has(name)) continue;
    setOwnProperty(parent as StoredItem, name, value as StoredItem[string]);
  }
}

/** A stored item split for the model: its values, and what a closed schema does not declare. */
export interface ModelValues {
  /** The object's model values. */
  values: Record<string, unknown>;
  /** Attributes another client stored that the model's closed schema does not declare. */
  undeclared: StoredItem | undefined;
}

/**
 * The model values of a stored item: the discriminator is dropped unless it is a property,
 * and attributes a closed schema (`additionalProperties: false`) does not declare, or (3.1)
 * that nothing could evaluate under `unevaluatedProperties: false`, are set aside, to be
 * written back unchanged by the next save.
 */
export function fromStoredItem(model: ModelDescriptor, item: StoredItem): ModelValues {
  if (itemIsModelValues(model)) return { values: item, undeclared: undefined };
  const discriminator = model.table.discriminatorAttribute;
  const dropped =
    discriminator !== undefined && propertySchema(model.schema, discriminator) === undefined
      ? discriminator
      : undefined;
  const schema = model.schema;
  const values: Record<string, unknown> = {};
  let undeclared: StoredItem | undefined;
  // The members are told apart without the table's discriminator, as the object never holds it.
  const union = closedUnion(schema);
  const refusedByMembers = union
    ? membersRefuse(union, dropped === undefined ? item : withoutAttribute(item, dropped))
    : [];
  for (const name of Object.keys(item)) {
    if (name === dropped) continue;
    if (closedOut(schema, name) || refusedByMembers.includes(name)) {
      undeclared ??= {};
      setOwnProperty(undeclared, name, item[name]);
    } else setOwnProperty(values, name, item[name]);
  }
  return { values, undeclared };
}

function withoutAttribute(item: StoredItem, name: string): StoredItem {
  const rest: StoredItem = {};
  for (const other of Object.keys(item))
    if (other !== name) setOwnProperty(rest, other, item[other] as StoredItem[string]);
  return rest;
}

const modelValuesAsStored = new WeakMap<ModelDescriptor, boolean>();

/**
 * True when `fromStoredItem` gives every item of this model back as it is (no discriminator
 * to drop, no closed schema to split): a read then builds nothing for it.
 */
export function itemIsModelValues(model: ModelDescriptor): boolean {
  let asStored = modelValuesAsStored.get(model);
  if (asStored === undefined) {
    const discriminator = model.table.discriminatorAttribute;
    const schema = model.schema;
    asStored =
      (discriminator === undefined || propertySchema(schema, discriminator) !== undefined) &&
      closingParts(schema).length === 0 &&
      closedUnion(schema) === undefined;
    modelValuesAsStored.set(model, asStored);
  }
  return asStored;
}

/** True when a stored item belongs to this model (always, unless models share the table). */
export function belongsToModel(model: ModelDescriptor, item: StoredItem): boolean {
  const discriminator = model.table.discriminatorAttribute;
  return (
    !discriminator ||
    model.discriminatorValue === undefined ||
    (Object.hasOwn(item, discriminator) ? item[discriminator] : undefined) ===
      model.discriminatorValue
  );
}
