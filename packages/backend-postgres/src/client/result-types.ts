/*
 * How the backend reads the values of its own statements' answers, whatever parsers the pool's
 * owner set: node-postgres applies a pool's `types` option, and the parsers a process set
 * globally (`pg.types.setTypeParser`, `pg.defaults.parseInt8`), to every query that brings
 * none of its own. An app's parser for `bool` or `text` (raw text, a custom class) would have
 * the backend take `'f'` for true, or refuse to create a table it may create. Every statement
 * of the backend's brings these instead, so the pool's parsers stay the app's.
 *
 * The backend's statements answer `bool`, integers and text-like types (`text`, `name`, JSON
 * it casts to text): read as node-postgres reads them by default (a boolean, a number, a
 * string), in the text format and in the binary one a pool's `binary: true` asks for.
 */

type Parser = (value: string | Buffer) => unknown;

const asText: Parser = (value) => (typeof value === 'string' ? value : value.toString('utf8'));

const textParsers = new Map<number, Parser>([
  [16, (value) => value === 't'], // bool
  [21, (value) => Number.parseInt(value as string, 10)], // int2
  [23, (value) => Number.parseInt(value as string, 10)], // int4
  [26, (value) => Number.parseInt(value as string, 10)], // oid
]);

const binaryParsers = new Map<number, Parser>([
  [16, (value) => (value as Buffer)[0] !== 0], // bool
  [20, (value) => (value as Buffer).readBigInt64BE().toString()], // int8: a string, as in text
  [21, (value) => (value as Buffer).readInt16BE()], // int2
  [23, (value) => (value as Buffer).readInt32BE()], // int4
  [26, (value) => (value as Buffer).readUInt32BE()], // oid
  [3802, (value) => (value as Buffer).toString('utf8', 1)], // jsonb: a version byte, then text
]);

/** The `types` of each of the backend's queries (node-postgres's `CustomTypesConfig`). */
export const backendResultTypes = {
  getTypeParser(oid: number, format?: string): Parser {
    return (format === 'binary' ? binaryParsers : textParsers).get(oid) ?? asText;
  },
};
