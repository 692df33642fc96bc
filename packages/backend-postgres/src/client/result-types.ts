/*
 * How the backend reads the values of its own statements' answers, whatever parsers the pool's
 * owner set: node-postgres applies a pool's `types` option, and the parsers a process set
 * globally (`pg.types.setTypeParser`, `pg.defaults.parseInt8`), to every query that brings
 * none of its own. An app's parser for `bool` or `text` (raw text, a class of its own) would
 * have the backend take `'f'` for true, or refuse to create a table it may create.
 *
 * The backend's statements answer `bool`, integers and text (`text`, `name`, JSON and items
 * cast to text): those are read here as node-postgres reads them by default (a boolean, a
 * number, a string), in the text format and in the binary one a pool's `binary: true` asks
 * for. Other types, which only other SQL sent through the same client reads (a `SqlClient`
 * used for the app's own statements), keep the client's parsers.
 */

type Parser = (value: string | Buffer) => unknown;

const asText: Parser = (value) => (typeof value === 'string' ? value : value.toString('utf8'));
const asInteger: Parser = (value) => Number.parseInt(value as string, 10);

const textParsers = new Map<number, Parser>([
  [16, (value) => value === 't'], // bool
  [19, asText], // name
  [20, asText], // int8: a string, as node-postgres's default
  [21, asInteger], // int2
  [23, asInteger], // int4
  [25, asText], // text
  [26, asInteger], // oid
  [1043, asText], // varchar
  [2278, asText], // void (pg_advisory_xact_lock's answer)
]);

const binaryParsers = new Map<number, Parser>([
  [16, (value) => (value as Buffer)[0] !== 0],
  [19, asText],
  [20, (value) => (value as Buffer).readBigInt64BE().toString()],
  [21, (value) => (value as Buffer).readInt16BE()],
  [23, (value) => (value as Buffer).readInt32BE()],
  [25, asText],
  [26, (value) => (value as Buffer).readUInt32BE()],
  [1043, asText],
  [2278, asText],
]);

/** A client's own parsers (node-postgres's `getTypeParser`, its pool's and the global ones). */
export interface TypeParsing {
  getTypeParser(oid: number, format?: string): unknown;
}

const typesOf = new WeakMap<TypeParsing, TypeParsing>();

/**
 * The `types` of each of the backend's queries on `client` (node-postgres's
 * `CustomTypesConfig`): the backend's parsers for the types it reads, the client's for others.
 */
export function backendResultTypes(client: Partial<TypeParsing>): TypeParsing {
  const own = client as TypeParsing;
  let types = typesOf.get(own);
  if (types === undefined) {
    const others = (oid: number, format?: string): unknown =>
      typeof own.getTypeParser === 'function' ? own.getTypeParser(oid, format) : asText;
    types = {
      getTypeParser: (oid, format) =>
        (format === 'binary' ? binaryParsers : textParsers).get(oid) ?? others(oid, format),
    };
    typesOf.set(own, types);
  }
  return types;
}

// A value of each type the backend's statements answer, as the server writes it, and what the
// backend reads it as (a number may come as a string or a bigint: the backend reads it with
// Number()).
const samples: readonly [oid: number, text: string, reads: (value: unknown) => boolean][] = [
  [16, 't', (value) => value === true],
  [16, 'f', (value) => value === false],
  [19, 'a\\b é', (value) => value === 'a\\b é'],
  [25, '{"a": 1}', (value) => value === '{"a": 1}'],
  [23, '42', (value) => Number(value) === 42],
];

/**
 * Whether a client that cannot be given parsers per statement (pg-native's: its parsers are
 * its connection's) reads the backend's answers as the backend needs: its own parsers, or the
 * global ones, for `bool`, `name`, `text` and `int4` as node-postgres's defaults read them.
 */
export function readsAsTheBackend(client: {
  getTypeParser?: (oid: number, format?: string) => (text: string) => unknown;
}): boolean {
  if (typeof client.getTypeParser !== 'function') return true;
  return samples.every(([oid, text, reads]) => {
    try {
      return reads(client.getTypeParser!(oid, 'text')(text));
    } catch {
      return false;
    }
  });
}
