/** A value of a key attribute: string, number (bigint beyond 2^53), or binary. */
export type KeyValue = string | number | bigint | Uint8Array;

/**
 * A value as backends store it: JSON values plus bigint (exact integers), binary, and sets
 * (DynamoDB's SS, NS and BS: non-empty, one kind of member a set).
 */
export type StoredValue =
  | null
  | boolean
  | string
  | number
  | bigint
  | Uint8Array
  | ReadonlySet<string>
  | ReadonlySet<number | bigint>
  | ReadonlySet<Uint8Array>
  | readonly StoredValue[]
  | { readonly [name: string]: StoredValue };

/** A stored item: the object's own properties as plain attributes. */
export type StoredItem = { [name: string]: StoredValue };

/** The key attributes of an item, by attribute name. */
export type ItemKey = { [name: string]: KeyValue };

/** A path to an attribute: a top-level name, or names and list positions for nesting. */
export type AttributePath = string | readonly (string | number)[];
