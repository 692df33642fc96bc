import type { ValidationProblem } from '../errors/validation-error.js';
import { appendPointer } from '../schema/json-pointer.js';
import { keyValueProblem } from './item-key.js';
import { perTable } from './per-table.js';
import type { KeyAttribute, TableDescriptor } from './table-descriptor.js';

/** A key attribute of a table or of one of its indexes, with the strictest role it plays. */
export interface KeyAttributeRole {
  /** The attribute and the type its table or index declares. */
  readonly attribute: KeyAttribute;
  /** `sort` when any index sorts by it: 1024 bytes, not a partition key's 2048. */
  readonly role: 'partition' | 'sort';
}

/**
 * Every key attribute of the table and its indexes, by name. An attribute that is the
 * partition key of one index and the sort key of another is held to both: DynamoDB limits a
 * partition key value to 1..2048 bytes and a sort key value to 1..1024 ("Partition keys and
 * sort keys", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
 */
export const keyAttributeRoles: (table: TableDescriptor) => ReadonlyMap<string, KeyAttributeRole> =
  perTable((table) => {
    const found = new Map<string, KeyAttributeRole>();
    const add = (attribute: KeyAttribute | undefined, role: 'partition' | 'sort') => {
      if (!attribute) return;
      const known = found.get(attribute.name);
      if (!known || (known.role === 'partition' && role === 'sort'))
        found.set(attribute.name, { attribute: known?.attribute ?? attribute, role });
    };
    add(table.partitionKey, 'partition');
    add(table.sortKey, 'sort');
    for (const index of table.indexes) {
      add(index.partitionKey, 'partition');
      add(index.sortKey, 'sort');
    }
    return found;
  });

/** `keyAttributeRoles` as a list, made once a table: walked for every item written. */
export const keyAttributeRoleList: (table: TableDescriptor) => readonly KeyAttributeRole[] =
  perTable((table) => [...keyAttributeRoles(table).values()]);

/**
 * The problems of the key values among `values` (an item, or the attributes an update sets):
 * each key attribute of the table and of every index must hold a non-empty value of its
 * declared type within its size. An absent attribute is fine: an item without an index's
 * key attributes is simply not in that index (a sparse index). A value with a problem among
 * `reported` already (the schema's) is not reported again as a key.
 */
export function keyValueProblems(
  table: TableDescriptor,
  values: { readonly [name: string]: unknown },
  reported: readonly ValidationProblem[] = noProblems,
): readonly ValidationProblem[] {
  // Made only when there is one: every item written asks, nearly every one has none.
  let problems: ValidationProblem[] | undefined;
  // A list, not the map: iterating a map's entries allocates a pair for each.
  const roles = keyAttributeRoleList(table);
  for (let position = 0; position < roles.length; position++) {
    const { attribute, role } = roles[position]!;
    const name = attribute.name;
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) continue;
    const problem = keyValueProblem(attribute, value, role);
    if (!problem) continue;
    const pointer = appendPointer('', name);
    if (!reportedAt(reported, pointer))
      (problems ??= []).push({ pointer, keyword: 'key', message: problem });
  }
  return problems ?? noProblems;
}

// Not a closure in the loop above: one reading `pointer` would make every turn of the loop
// allocate the context it captures, problem or none.
function reportedAt(reported: readonly ValidationProblem[], pointer: string): boolean {
  for (const known of reported) if (known.pointer === pointer) return true;
  return false;
}

const noProblems: readonly ValidationProblem[] = Object.freeze([]);
