import { constructAdopting, takeAdoptedSetAside } from '../../model/model-class.js';
import type { SetAside } from '../../schema/copy-value.js';
import { heldByCopy } from '../held-aside.js';
import { type KeyInput, toItemKey } from '../item-key.js';
import { markRead } from '../loaded-objects.js';
import { modelConditions } from '../model-conditions.js';
import { optionNames } from '../option-names.js';
import { type PersistenceContext, requireBackend } from '../persistence-context.js';
import { callOptions, checkFlag } from '../read-request.js';
import type { RequestFields } from '../request-fields.js';
import type { GetItemRequest } from '../storage-backend.js';
import { belongsToModel, fromStoredItem, itemIsModelValues } from '../stored-form.js';
import type { ItemKey, StoredItem } from '../stored-value.js';
import type { ModelDescriptor } from '../table-descriptor.js';

// What adopting an item set aside, for a second object built from the same item (a key asked
// twice in one getMany): adoption changed the item, so the second cannot find it again.
const setAsideByItem = new WeakMap<StoredItem, SetAside[]>();

/** A class whose constructor takes model values: the persistent class or a subclass. */
export type Constructor<M> = new (data?: never) => M;

/** Options of reads. */
export interface ReadOptions {
  /** Strongly consistent read. */
  consistent?: boolean | undefined;
}

/** The keys `ReadOptions` may have; any other is refused (P-110). */
export const readOptionNames = optionNames('consistent');

/**
 * What every operation of one persistent model shares: its descriptor, the persistence
 * context, the conditions it needs for itself, and the ways to read its items and turn
 * them into objects.
 */
export class ModelRuntime {
  /** The conditions operations need for themselves (see `modelConditions`). */
  readonly own: ReturnType<typeof modelConditions>;
  // Whether stored items are the model values as they are (see `itemIsModelValues`).
  private readonly itemsAreValues: boolean;

  constructor(
    readonly model: ModelDescriptor,
    readonly context: PersistenceContext,
  ) {
    this.own = modelConditions(model);
    this.itemsAreValues = itemIsModelValues(model);
  }

  /** The backend, or `NoBackendError`. */
  backend() {
    return requireBackend(this.context);
  }

  /** Where an item is, for item errors. */
  location(key: ItemKey) {
    return { model: this.model.name, table: this.model.table.name, key };
  }

  /** A key as the backend takes it, from any of the forms callers may give. */
  itemKey(key: KeyInput): ItemKey {
    return toItemKey(this.model, key);
  }

  /**
   * An object of `type` built from a stored item, remembering what it was loaded from. A
   * backend builds every item it returns for that one call, so the object takes it over
   * uncopied, unless `shared` says another object was built from the same item.
   */
  instantiate<M>(type: Constructor<M>, item: StoredItem, shared = false): M {
    let values: object = item;
    let undeclared: StoredItem | undefined;
    if (!this.itemsAreValues) ({ values, undeclared } = fromStoredItem(this.model, item));
    let object: M;
    let setAside: SetAside[] | undefined;
    if (shared) {
      // The first object built from this item adopted it (and what it set aside).
      object = new type(values as never);
      const adopted = setAsideByItem.get(item);
      // What was set aside inside lists is held by the first object's maps: this one's are copies.
      setAside = adopted && heldByCopy(adopted, values, object as object);
    } else {
      object = constructAdopting(type, values);
      setAside = takeAdoptedSetAside();
      if (setAside) setAsideByItem.set(item, setAside);
    }
    const { partitionKey, sortKey } = this.model.table;
    const versionName = this.model.versionAttribute;
    markRead(
      object as object,
      undeclared,
      setAside,
      item[partitionKey.name],
      sortKey ? item[sortKey.name] : undefined,
      versionName !== undefined && Object.hasOwn(item, versionName),
    );
    return object;
  }

  /** The item under a key if it is one of this model's. */
  async readItem(
    key: ItemKey,
    given?: ReadOptions,
    attributes?: readonly string[],
  ): Promise<StoredItem | undefined> {
    const options = callOptions(given, 'get(), load() or exists()', readOptionNames);
    const request: RequestFields<GetItemRequest> = { model: this.model, key };
    checkFlag(options.consistent, 'consistent');
    if (options.consistent) request.consistent = true;
    if (attributes) request.attributes = attributes;
    const item = await this.backend().getItem(request);
    return item && belongsToModel(this.model, item) ? item : undefined;
  }
}
