import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { BadRequestError } from '../errors/http-errors.js';

// Header fields a request may send once: Node.js keeps the first line of each and drops the
// rest, so two Hosts (RFC 9112 §3.2: a server MUST answer 400), two Content-Types or two
// Authorizations would be read as whichever came first, where a proxy before the server may
// have read another.
const singletonFields = ['host', 'content-type', 'authorization'];

// The other fields whose repeated lines Node.js drops (`matchKnownFields` of its
// `_http_incoming`; a repeated Content-Length is refused by its parser): read by nobody here
// unless an operation declares one as a header parameter, which would then get the first line
// alone, the others lost.
const droppedFields = new Set([
  'user-agent',
  'referer',
  'proxy-authorization',
  'if-modified-since',
  'if-unmodified-since',
  'from',
  'location',
  'max-forwards',
  'retry-after',
  'etag',
  'last-modified',
  'server',
  'age',
  'expires',
]);

// The lower-case names of a check by their length (most lines are of none of them), each with
// its own bit of the fields seen (at most 17 names).
type FieldsByLength = ReadonlyMap<number, readonly (readonly [string, number])[]>;

function byLength(names: readonly string[]): FieldsByLength {
  const map = new Map<number, [string, number][]>();
  for (const [index, name] of [...new Set(names)].entries()) {
    const list = map.get(name.length);
    if (list === undefined) map.set(name.length, [[name, 1 << index]]);
    else list.push([name, 1 << index]);
  }
  return map;
}

const singletons = byLength(singletonFields);

function refuseRepeated(fields: FieldsByLength) {
  return function refuseRepeatedFields(
    request: FastifyRequest,
    _reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void {
    done(repeatedField(request.raw.rawHeaders as readonly string[] | undefined, fields));
  };
}

/**
 * The first onRequest hook of each operation's route: a request that sends one of these fields
 * on two lines is a 400, before anything reads it.
 */
export const refuseRepeatedFields = refuseRepeated(singletons);

/**
 * The hook for an operation whose header parameters (`names`, as the spec writes them) are
 * read: those Node.js keeps one line of are checked too, so a second line is never lost.
 */
export function repeatedFieldsHook(
  names: readonly string[],
): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  const dropped = names.map((name) => name.toLowerCase()).filter((name) => droppedFields.has(name));
  return dropped.length === 0
    ? refuseRepeatedFields
    : refuseRepeated(byLength([...singletonFields, ...dropped]));
}

function repeatedField(
  raw: readonly string[] | undefined,
  fields: FieldsByLength,
): Error | undefined {
  if (raw === undefined) return undefined;
  let seen = 0;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    const candidates = fields.get(name.length);
    if (candidates === undefined) continue;
    const lower = name.toLowerCase();
    const bit = candidates.find(([candidate]) => candidate === lower)?.[1];
    if (bit === undefined) continue;
    if (seen & bit)
      return new BadRequestError(
        `The request sends the ${shownField(lower)} header more than once`,
        400,
      );
    seen |= bit;
  }
  return undefined;
}

// A field's name as HTTP writes it: `Content-Type`, `If-Modified-Since`, `ETag` as `Etag`.
function shownField(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
}
