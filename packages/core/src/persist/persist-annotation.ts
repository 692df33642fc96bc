import { quotedName } from '../errors/shown-name.js';
import type { SpecProblem } from '../errors/spec-error.js';
import { appendPointer } from '../schema/json-pointer.js';
import { setOwnProperty } from '../schema/own-property.js';

/** A secondary index in `x-persist`. */
export interface IndexAnnotation {
  /** Partition key property of the index. */
  key: string;
  /** Sort key property of the index. */
  sort?: string;
}

/** The full form of `x-persist`: everything the storage layer needs. */
export interface PersistAnnotation {
  /** Table (or collection) name, without environment prefix. */
  table: string;
  /** Partition key property. */
  key: string;
  /** Sort key property. */
  sort?: string;
  /** Secondary indexes by name. */
  indexes?: Record<string, IndexAnnotation>;
  /** Optimistic-locking counter property (an integer). */
  version?: string;
  /** Expiry property (epoch seconds). */
  ttl?: string;
  /** Attribute that tells models apart where several share the table. */
  discriminator?: string;
}

const fields = new Set(['table', 'key', 'sort', 'indexes', 'version', 'ttl', 'discriminator']);
const indexFields = new Set(['key', 'sort']);
const tableNamePattern = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Reads an `x-persist` value. A string (PyMacaron's class path) returns `'by-code'`: the
 * table and key then come from `api.persistent(name, annotation)`. Problems are pushed
 * with the schema name and the JSON pointer of the offending field.
 */
export function parsePersistAnnotation(
  value: unknown,
  schema: string,
  pointer: string,
  problems: SpecProblem[],
): PersistAnnotation | 'by-code' | undefined {
  if (typeof value === 'string' && value.length > 0) return 'by-code';
  const problem = (at: string, message: string) => problems.push({ schema, pointer: at, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem(pointer, 'x-persist must be a class path (string) or an object with table and key');
    return undefined;
  }
  const raw = value as Record<string, unknown>;
  const before = problems.length;
  for (const field of Object.keys(raw)) {
    if (!fields.has(field))
      problem(
        appendPointer(pointer, field),
        `unknown x-persist field ${quotedName(field)} (allowed: ${[...fields].join(', ')})`,
      );
  }
  const text = (field: string, required: boolean): string | undefined => {
    const found = raw[field];
    if (found === undefined) {
      if (required) problem(appendPointer(pointer, field), `x-persist.${field} is required`);
      return undefined;
    }
    if (typeof found !== 'string' || found.length === 0) {
      problem(appendPointer(pointer, field), `x-persist.${field} must be a non-empty string`);
      return undefined;
    }
    return found;
  };
  const table = text('table', true);
  if (table !== undefined && !tableNamePattern.test(table)) {
    problem(appendPointer(pointer, 'table'), 'table names are 3 to 255 of A-Z a-z 0-9 _ - .');
  }
  // DynamoDB's key schemas (and its time to live) name attributes of at most 255 bytes: a
  // longer one would work on memory and nowhere else. A name that is not Unicode (a lone
  // surrogate) no engine stores: DynamoDB refuses it, PostgreSQL renames its column.
  const keyName = (name: string | undefined, at: string, what = 'key attribute names') => {
    if (name === undefined) return name;
    if (!name.isWellFormed())
      problem(at, `${what} must be Unicode text (this one holds a lone surrogate)`);
    else if (Buffer.byteLength(name) > 255)
      problem(at, `${what} are at most 255 bytes (this one is ${Buffer.byteLength(name)})`);
    return name;
  };
  const annotation: PersistAnnotation = {
    table: table ?? '',
    key: keyName(text('key', true), appendPointer(pointer, 'key')) ?? '',
  };
  for (const field of ['sort', 'version', 'ttl', 'discriminator'] as const) {
    const found = text(field, false);
    if (field === 'sort') keyName(found, appendPointer(pointer, 'sort'));
    else if (field === 'ttl') keyName(found, appendPointer(pointer, 'ttl'), 'ttl attribute names');
    else if (found !== undefined && !found.isWellFormed())
      problem(
        appendPointer(pointer, field),
        `${field} attribute names must be Unicode text (this one holds a lone surrogate)`,
      );
    if (found !== undefined) annotation[field] = found;
  }
  if (raw.indexes !== undefined) {
    const indexesPointer = appendPointer(pointer, 'indexes');
    if (typeof raw.indexes !== 'object' || raw.indexes === null || Array.isArray(raw.indexes)) {
      problem(indexesPointer, 'x-persist.indexes must map index names to { key, sort }');
    } else {
      const indexes: Record<string, IndexAnnotation> = {};
      annotation.indexes = indexes;
      for (const [name, index] of Object.entries(raw.indexes as Record<string, unknown>)) {
        const indexPointer = appendPointer(indexesPointer, name);
        if (!tableNamePattern.test(name))
          problem(indexPointer, 'index names are 3 to 255 of A-Z a-z 0-9 _ - .');
        if (
          typeof index !== 'object' ||
          index === null ||
          typeof (index as IndexAnnotation).key !== 'string'
        ) {
          problem(indexPointer, 'an index needs a key property');
          continue;
        }
        for (const field of Object.keys(index)) {
          if (!indexFields.has(field))
            problem(
              appendPointer(indexPointer, field),
              `unknown index field ${quotedName(field)} (allowed: key, sort)`,
            );
        }
        const { key, sort } = index as IndexAnnotation;
        // DynamoDB refuses an empty attribute name anywhere; an index on one holds no item.
        if (key.length === 0)
          problem(appendPointer(indexPointer, 'key'), 'an index key must be a non-empty string');
        else keyName(key, appendPointer(indexPointer, 'key'));
        if (sort !== undefined && (typeof sort !== 'string' || sort.length === 0))
          problem(appendPointer(indexPointer, 'sort'), 'an index sort must be a non-empty string');
        else keyName(sort, appendPointer(indexPointer, 'sort'));
        // Index names are data: `__proto__` is an index, not a prototype (see own-property.ts).
        setOwnProperty(indexes, name, sort === undefined ? { key } : { key, sort });
      }
    }
  }
  return problems.length === before ? annotation : undefined;
}
