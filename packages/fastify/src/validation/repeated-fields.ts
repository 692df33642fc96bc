import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { BadRequestError } from '../errors/http-errors.js';

// Header fields a request may send once: Node.js keeps the first line of each and drops the
// rest, so two Hosts (RFC 9112 §3.2: a server MUST answer 400), two Content-Types or two
// Authorizations would be read as whichever came first, where a proxy before the server may
// have read another.
const singletonFields = ['host', 'content-type', 'authorization'] as const;
const fieldNames: Record<number, string> = { 4: 'host', 12: 'content-type', 13: 'authorization' };
const shownNames: Record<string, string> = {
  host: 'Host',
  'content-type': 'Content-Type',
  authorization: 'Authorization',
};

/**
 * The first onRequest hook of each operation's route: a request that sends one of these fields
 * on two lines is a 400, before anything reads it.
 */
export function refuseRepeatedFields(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  done(repeatedField(request.raw.rawHeaders as readonly string[] | undefined));
}

function repeatedField(raw: readonly string[] | undefined): Error | undefined {
  if (raw === undefined) return undefined;
  let seen = 0;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    // A name's length first: most lines are of none of these.
    const candidate = fieldNames[name.length];
    if (candidate === undefined || name.toLowerCase() !== candidate) continue;
    const bit = 1 << singletonFields.indexOf(candidate as (typeof singletonFields)[number]);
    if (seen & bit)
      return new BadRequestError(
        `The request sends the ${shownNames[candidate]} header more than once`,
        400,
      );
    seen |= bit;
  }
  return undefined;
}
