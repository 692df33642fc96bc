import { pointerStep } from '../values/json-pointer.js';
import { escapeJsonString } from '../values/nul-escape.js';
import type { KeyColumn } from './table-layout.js';
import { itemColumn, typesColumn } from './table-layout.js';

/*
 * An index key column is a STORED generated column: PostgreSQL computes it from `item` and
 * `item_types` on every write, whoever writes (an instance that does not know the index, plain
 * SQL), so an index never goes stale. The expression gives what `indexColumnParameter` (test/provision) gives
 * for the decoded item: the attribute when it has the column's type, else NULL. Everything in
 * it is immutable, as PostgreSQL requires of generated columns.
 */

function literal(text: string): string {
  // E'' (whatever standard_conforming_strings says) when the text has a backslash or a
  // control character (the escapes' U+0001…), written visibly as \xNN.
  let plain = true;
  let escaped = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (character === "'") escaped += "''";
    else if (character !== '\\' && code >= 0x20) escaped += character;
    else {
      plain = false;
      escaped += character === '\\' ? '\\\\' : `\\x${code.toString(16).padStart(2, '0')}`;
    }
  }
  return plain ? `'${escaped}'` : `E'${escaped}'`;
}

/** The attribute's stored JSON value and its `item_types` code (without `K`), as SQL. */
interface StoredAttribute {
  readonly value: string;
  readonly code: string;
}

/** The item and its annotations as SQL: the columns, or the columns cast to `jsonb`. */
export interface ItemSource {
  readonly item: string;
  readonly types: string;
}

const columns: ItemSource = { item: itemColumn, types: typesColumn };

function storedAttribute(attribute: string, source: ItemSource): StoredAttribute {
  const at = (name: string) => ({
    value: `(${source.item} -> ${literal(name)})`,
    code: `(${source.types} ->> ${literal(`/${pointerStep(name)}`)})`,
  });
  const plain = at(attribute);
  // Only a name with a backslash is stored under another name: escaped (and marked `K`) in an
  // item that also holds a top-level name with U+0000 (see encodeItem). Its plain spelling
  // marked `K` is then another attribute's escape.
  if (!attribute.includes('\\')) return plain;
  const escaped = at(escapeJsonString(attribute));
  const renamed = `starts_with(coalesce(${escaped.code}, ''), 'K')`;
  return {
    value: `(CASE WHEN ${renamed} THEN ${escaped.value} WHEN starts_with(coalesce(${plain.code}, ''), 'K') THEN NULL ELSE ${plain.value} END)`,
    code: `(CASE WHEN ${renamed} THEN nullif(substr(${escaped.code}, 2), '') ELSE ${plain.code} END)`,
  };
}

const one = '\u0001';

/** `escapeKeyText` of a string without U+0000. */
function keyEscape(text: string): string {
  return `replace(${text}, ${literal(one)}, ${literal(`${one}\u0002`)})`;
}

/**
 * `escapeKeyText` of a string stored with `escapeJsonString` (marked `Z`): U+0001 first, then
 * `\\` and `\0` become placeholders (U+0001 U+0003, U+0001 U+0004) that cannot occur once every
 * U+0001 is followed by U+0002, so each later replace matches only what it means to.
 * (Replacing `\0` with U+0001 U+0001 before restoring `\` would not do: U+0000 then U+0003
 * would read as the placeholder.)
 */
function keyEscapeOfEscaped(text: string): string {
  const steps: [string, string][] = [
    ['\\\\', `${one}\u0003`],
    ['\\0', `${one}\u0004`],
    [`${one}\u0003`, '\\'],
    [`${one}\u0004`, `${one}${one}`],
  ];
  return steps.reduce(
    (inner, [from, to]) => `replace(${inner}, ${literal(from)}, ${literal(to)})`,
    keyEscape(text),
  );
}

/**
 * The generation expression of an index key column. `source` defaults to the item columns as
 * the layout creates them; a read over a table another client made (a `json` item column)
 * gives them cast to `jsonb`.
 */
export function indexColumnExpression(column: KeyColumn, source: ItemSource = columns): string {
  const { value, code } = storedAttribute(column.attribute, source);
  const isString = `jsonb_typeof(${value}) = 'string'`;
  const text = `(${value} #>> '{}')`;
  switch (column.type) {
    case 'string':
      // A string marked `B` is bytes; any other mark (but `Z`) is not a plain string either.
      return `CASE WHEN ${isString} THEN CASE WHEN ${code} IS NULL THEN ${keyEscape(text)} WHEN ${code} = 'Z' THEN ${keyEscapeOfEscaped(text)} END END`;
    case 'number':
      return `CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric END`;
    case 'binary':
      return `CASE WHEN ${isString} AND ${code} = 'B' THEN decode(${text}, 'base64') END`;
  }
}

/** The column's definition: its type, generated from the item. */
export function indexColumnDefinition(column: KeyColumn): string {
  return `${column.sql} ${column.sqlType} GENERATED ALWAYS AS (${indexColumnExpression(column)}) STORED`;
}

/**
 * True when the item holds the key its key column holds (`column` is a table key column).
 * A string key is mostly decided by a text comparison: an unannotated JSON string equal to
 * a column without U+0001 (which holds the key text itself then); anything else (other
 * types, annotated values, names stored escaped) by the generation expression, which is exact.
 */
export function keyColumnHeld(column: KeyColumn, source: ItemSource): string {
  const exact = `${indexColumnExpression(column, source)} IS NOT DISTINCT FROM ${column.sql}`;
  if (column.type !== 'string' || column.attribute.includes('\\')) return exact;
  const { value, code } = storedAttribute(column.attribute, source);
  const text = `(${source.item} ->> ${literal(column.attribute)})`;
  // coalesce: a missing attribute makes the comparison NULL, which must read as false. A key
  // holding U+0001 is stored escaped in its column: an equal text there is a column another
  // writer did not escape, which only the exact expression tells.
  return `(coalesce(${code} IS NULL AND ${text} = ${column.sql} AND strpos(${column.sql}, chr(1)) = 0 AND jsonb_typeof(${value}) = 'string', false) OR ${exact})`;
}
