import { shownJson } from '@macaron/core/backend';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import {
  AuthorizationHeaderMissingError,
  ServerError,
  TokenExpiredError,
  TokenInvalidError,
} from '../errors/http-errors.js';
import type { BearerAuthOptions } from '../plugin/plugin-options.js';
import { checkSecretLength } from './secret-length.js';

/** Where a request's token may be: the Authorization header, and a cookie where allowed. */
export interface TokenSources {
  /** The `Authorization` header. */
  authorization: string | undefined;
  /** The `Cookie` header. */
  cookie: string | undefined;
}

/** Verifies the token of a request and returns its claims. */
export type TokenVerifier = (sources: TokenSources) => Promise<JWTPayload>;

/** Defaults a compatibility mode changes. */
export interface TokenDefaults {
  /** Also read the token from this cookie when there is no Authorization header (PyMacaron: `token`). */
  cookieName?: string;
  /** Default clock leeway, in seconds, when the options give none (PyMacaron: 300). */
  clockToleranceSeconds?: number;
  /**
   * Take a `sub` that is a safe integer, given to the handler as its decimal string
   * (PyMacaron's `generate_token(user_id)` wrote integer ids as they were).
   */
  integerSubjects?: boolean;
}

const defaultClockTolerance = 30;
// A token without an expiry stays valid for ever if it leaks: every token must carry `exp`.
const requiredClaims = ['exp'];
// Any run of spaces and tabs after the scheme (RFC 7235 asks for one space; PyMacaron split
// on any whitespace, and clients send two spaces or a tab).
const bearer = /^Bearer[ \t]+([A-Za-z0-9_~+/.=-]+)[ \t]*$/i;

/**
 * Creates the verifier of bearer tokens: the signature with the configured secret or JWKS
 * and algorithms only (never the token's own choice), then issuer, audience and times; a
 * token without `exp` is refused.
 * Throws a `TypeError` naming what is wrong with the options.
 */
export function createTokenVerifier(
  options: BearerAuthOptions,
  defaults: TokenDefaults = {},
): TokenVerifier {
  const { key, algorithms } = verificationKey(options);
  // `false`, said outright, is the one way to leave `iss` unchecked (PyMacaron's tokens).
  const issuer = options.issuer === false ? undefined : nonEmpty(options.issuer, 'issuer');
  const audience = nonEmpty(options.audience, 'audience');
  const clockTolerance =
    options.clockToleranceSeconds ?? defaults.clockToleranceSeconds ?? defaultClockTolerance;
  const cookieName = defaults.cookieName;
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) {
    throw new TypeError('auth.clockToleranceSeconds must be a number of seconds, 0 or more');
  }
  return async ({ authorization, cookie }) => {
    const fromCookie =
      cookieName !== undefined && (authorization === undefined || authorization.trim() === '')
        ? cookieValue(cookie, cookieName)
        : undefined;
    if (fromCookie === undefined && (authorization === undefined || authorization.trim() === '')) {
      throw challenged(
        new AuthorizationHeaderMissingError('There is no Authorization header in the request'),
        noTokenChallenge,
      );
    }
    const token =
      fromCookie === undefined ? bearer.exec(authorization!)?.[1] : cookieToken(fromCookie);
    if (token === undefined) {
      throw challenged(
        new TokenInvalidError(
          fromCookie === undefined
            ? 'The Authorization header must be "Bearer <token>"'
            : `The ${cookieName} cookie must be "Bearer <token>" or the token`,
        ),
        // Another scheme's credentials (`Basic …`) give no bearer token at all (RFC 6750 §3.1).
        fromCookie === undefined && !/^[ \t]*bearer/i.test(authorization!)
          ? noTokenChallenge
          : invalidTokenChallenge,
      );
    }
    try {
      // jose decodes loosely (padding, unused bits): one token would have several texts.
      if (!canonicalToken(token)) throw new TokenInvalidError('The token is invalid');
      const { payload } = await verifiedToken(token, key, {
        algorithms,
        ...(issuer === undefined ? {} : { issuer }),
        audience,
        clockTolerance,
        requiredClaims,
      });
      checkRegisteredClaims(payload, defaults.integerSubjects === true);
      // jose checks `iat` only against a maximum age: a token issued in the future (beyond the
      // tolerance) is as wrong as one not yet valid.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + clockTolerance)
        throw new TokenInvalidError('The token was issued in the future (iat)');
      return payload;
    } catch (error) {
      const refusal = error instanceof TokenInvalidError ? error : verificationError(error);
      throw refusal instanceof ServerError ? refusal : challenged(refusal, invalidTokenChallenge);
    }
  };
}

// The NumericDates taken (RFC 7519 §2): those of a date with a four-digit year, 0001-01-01 to
// 9999-12-31 (RFC 3339), so every time taken is a date. Beyond, a time is no time: an `exp` of
// 1e300 (or 1e400, which JSON parsing reads as Infinity) would never expire.
const earliestTime = -62135596800;
const latestTime = 253402300799;

// The registered claims a handler reads as typed (RFC 7519 §4.1): jose checks the types of
// `exp`, `nbf` and `iat` (numbers), and of `iss`, `sub` and `aud` only as far as the options
// compare them; the rest is checked here, so that `auth.sub` is a string when present.
function checkRegisteredClaims(payload: JWTPayload, integerSubjects: boolean): void {
  // The one spelling a handler sees: "42", as a string `sub` of the same user would be.
  if (integerSubjects && Number.isSafeInteger(payload.sub)) payload.sub = String(payload.sub);
  for (const claim of ['iss', 'sub', 'jti'] as const)
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string')
      throw new TokenInvalidError(`The token's ${claim} claim is not a string`);
  const { aud } = payload;
  if (
    aud !== undefined &&
    typeof aud !== 'string' &&
    !(Array.isArray(aud) && aud.every((member) => typeof member === 'string'))
  )
    throw new TokenInvalidError("The token's aud claim is not a string or a list of strings");
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const time = payload[claim];
    if (
      time !== undefined &&
      (typeof time !== 'number' || !(time >= earliestTime && time <= latestTime))
    )
      throw new TokenInvalidError(`The token's ${claim} claim is not a time`);
  }
}

const base64urlDigits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Whether each part of a compact JWS is base64url as RFC 7515 §2 writes it: no padding, and
// the bits its last character has beyond the bytes left at zero (RFC 4648 §3.5). jose takes
// the other spellings of the same bytes; the signature's would verify, and a token keyed on
// its text (a deny-list, a replay cache) would be another token.
function canonicalToken(token: string): boolean {
  return token.split('.').every((part) => {
    if (!/^[A-Za-z0-9_-]*$/.test(part)) return false;
    // A last group of 2 characters holds 1 byte (4 bits unused), of 3 holds 2 (2 unused); a
    // group of 1 holds none.
    const unusedBits = [0, -1, 4, 2][part.length % 4] ?? -1;
    if (unusedBits <= 0) return unusedBits === 0;
    const last = base64urlDigits.indexOf(part.at(-1)!);
    return (last & ((1 << unusedBits) - 1)) === 0;
  });
}

// The most of a remote JWKS read: a key set of a few keys is a few kilobytes (one with X.509
// chains, tens); past this, the body is cut and the key set refused (500, not kept), so that
// its host cannot fill the server's memory.
const maximumJwksBytes = 1024 * 1024;

// jose's fetch of a remote JWKS (its `customFetch` hook), reading at most `maximumJwksBytes`
// of the body within the same timeout signal.
async function cappedFetch(
  url: string,
  init: { headers: Headers; method: 'GET'; redirect: 'manual'; signal: AbortSignal },
): Promise<Response> {
  const response = await fetch(url, init);
  if (response.body === null) return response;
  if (response.status !== 200) {
    // jose refuses it by its status alone: nothing of the body is read, nor held.
    await response.body.cancel().catch(() => undefined);
    return response;
  }
  const tooBig = () =>
    new RangeError(`The JWKS is larger than ${maximumJwksBytes} bytes: it is not read further`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maximumJwksBytes) {
    await response.body.cancel().catch(() => undefined);
    throw tooBig();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maximumJwksBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooBig();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new Response(body, { status: response.status, headers: response.headers });
}

// The `WWW-Authenticate` challenge of a 401 (RFC 9110 §11.6.1, RFC 6750 §3): without an error
// code when no bearer token was given, `invalid_token` when one was and is refused. Nothing of
// the token nor of why it is refused (that is the error JSON's description).
const noTokenChallenge = 'Bearer';
const invalidTokenChallenge = 'Bearer error="invalid_token"';
const challenges = new WeakMap<Error, string>();

function challenged<E extends Error>(error: E, challenge: string): E {
  challenges.set(error, challenge);
  return error;
}

/**
 * The `WWW-Authenticate` value of an error the token verifier threw, for its 401 reply;
 * undefined for any other error (a security handler's own refusal, a key set that cannot be
 * fetched).
 */
export function bearerChallenge(error: unknown): string | undefined {
  return error instanceof Error ? challenges.get(error) : undefined;
}

type VerifyOptions = Parameters<typeof jwtVerify>[2];

// A key set has a few keys that fit one token (a rotation's); each try imports a key and checks
// a signature, so a key set with thousands (a `kid` listed over and over) must not let every
// forged token cost that many.
const maximumCandidateKeys = 16;

// jose leaves a key set with several keys that fit the token (no `kid` in the token and a
// rotation's two keys, or a `kid` listed twice) to its caller, as an error that yields them:
// the token is verified with each in turn, as jose's documentation does, and is refused only
// when none of them signed it. Past `maximumCandidateKeys`, a token that names no key (no
// `kid`) is refused (401): anyone can send one, and a key set that large needs its tokens to
// name their key; one whose `kid` the key set lists that many times is the server's fault (a
// 500), as whether the token is valid cannot be known without trying the rest.
async function verifiedToken(
  token: string,
  key: Uint8Array | JWTVerifyGetKey,
  options: VerifyOptions,
): Promise<{ payload: JWTPayload }> {
  try {
    return await jwtVerify(token, key, options);
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    let tried = 0;
    for await (const candidate of error) {
      if (++tried > maximumCandidateKeys) {
        if (decodeProtectedHeader(token).kid === undefined)
          throw new TokenInvalidError(
            `The token names no key (kid), and more than ${maximumCandidateKeys} keys of the JWKS fit it`,
          );
        throw new RangeError(
          `More than ${maximumCandidateKeys} keys of the JWKS fit the token (its kid and alg): give each key its own kid`,
          { cause: error },
        );
      }
      try {
        return await jwtVerify(token, candidate, options);
      } catch (attempt) {
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed(undefined, { cause: error });
  }
}

// The token of a token cookie: PyMacaron read it as an Authorization header ("Bearer <jwt>",
// URL-decoded: `Bearer%20<jwt>`, `Bearer+<jwt>`); the bare token is taken too.
function cookieToken(value: string): string | undefined {
  const fromBearer = bearer.exec(value)?.[1];
  if (fromBearer !== undefined) return fromBearer;
  return /^[A-Za-z0-9_~/.=-]+$/.test(value) ? value : undefined;
}

// The value of one cookie of a Cookie header, URL-decoded as Python's `unquote_plus` does
// (`+` is a space) when it decodes.
function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue;
    const raw = pair
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return raw === '' ? undefined : decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      return raw.replace(/\+/g, ' ');
    }
  }
  return undefined;
}

function verificationKey(options: BearerAuthOptions): {
  key: Uint8Array | JWTVerifyGetKey;
  algorithms: string[];
} {
  // An empty string is no secret nor jwks (an unset JWT_SECRET read as ''), never a key.
  const secret = options.secret === '' ? undefined : options.secret;
  const jwks = options.jwks === '' ? undefined : options.jwks;
  if (secret === undefined && jwks === undefined) {
    throw new TypeError(
      `auth needs a secret (HS256) or a jwks, and has neither${options.secret === '' ? ': auth.secret is empty' : ''}`,
    );
  }
  if (secret !== undefined && jwks !== undefined) {
    throw new TypeError('auth needs a secret (HS256) or a jwks, not both: give only one');
  }
  if (secret !== undefined) {
    const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
    refusePublicKey(key);
    const algorithms = checkedAlgorithms(options.algorithms ?? ['HS256'], true);
    checkSecretLength(key, algorithms, options.allowShortSecret === true);
    return { key, algorithms };
  }
  const key =
    typeof jwks === 'string' || jwks instanceof URL
      ? createRemoteJWKSet(jwksUrl(jwks), { [customFetch]: cappedFetch })
      : createLocalJWKSet(publicKeySet(jwks as JSONWebKeySet));
  return { key, algorithms: checkedAlgorithms(options.algorithms ?? ['RS256'], false) };
}

/**
 * A JWKS object as given, refused when a key of it is private (`d`) or secret (`k`, an `oct`
 * key): jose refuses such a set at every token (500), and a key that signs tokens has no place
 * in a verifier's options, where a log or an error report may print them. The message names
 * neither the key nor its parts.
 */
function publicKeySet(jwks: JSONWebKeySet): JSONWebKeySet {
  const keys: unknown = (jwks as { keys?: unknown } | null)?.keys;
  if (Array.isArray(keys)) {
    const at = keys.findIndex(
      (key) =>
        typeof key === 'object' &&
        key !== null &&
        (Object.hasOwn(key, 'd') ||
          Object.hasOwn(key, 'k') ||
          (key as { kty?: unknown }).kty === 'oct'),
    );
    if (at !== -1)
      throw new TypeError(
        `auth.jwks holds a private or secret key (keys[${at}]): a JWKS lists public keys only; give the public part of the key (jose's exportJWK(publicKey)), and keep the private key where tokens are signed`,
      );
  }
  return jwks;
}

// A JWKS URL that fetch can get: any other (`file:`, `ftp:`, credentials in it, a relative
// path) would start the server and answer every token 500. The message never shows the URL,
// which may hold credentials.
function jwksUrl(jwks: string | URL): URL {
  let url: URL;
  try {
    url = new URL(jwks);
  } catch {
    throw new TypeError('auth.jwks is not an absolute URL (https://…/.well-known/jwks.json)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(
      `auth.jwks must be an https: (or http:) URL, not ${shownJson(url.protocol)}: give a JWKS object as itself`,
    );
  if (url.username !== '' || url.password !== '')
    throw new TypeError('auth.jwks cannot hold credentials (user:password@): fetch refuses them');
  return url;
}

// A public key (PEM, certificate, JWK or JWKS) given as the HMAC secret: anyone who has the
// public key could sign tokens with it, the confusion RFC 8725 §2.1 describes. Private keys
// and other long random values stay secrets.
const publicPem = /-----BEGIN (?:[A-Z0-9]+ )*(?:PUBLIC KEY|CERTIFICATE)-----/;

function refusePublicKey(key: Uint8Array): void {
  const text = new TextDecoder().decode(key).trim();
  let publicJwk = false;
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      const isPublic = (jwk: unknown) =>
        typeof jwk === 'object' &&
        jwk !== null &&
        typeof (jwk as Record<string, unknown>).kty === 'string' &&
        !('d' in jwk) &&
        !('k' in jwk);
      const keys = (parsed as { keys?: unknown } | null)?.keys;
      publicJwk = isPublic(parsed) || (Array.isArray(keys) && keys.some(isPublic));
    } catch {
      // Not JSON: a secret like any other.
    }
  }
  if (publicJwk || publicPem.test(text)) {
    throw new TypeError(
      'auth.secret is a public key (PEM, certificate or JWK): anyone holding it could sign HS256 tokens. ' +
        'Give public keys as auth.jwks (a JWKS object or URL), with algorithms such as RS256.',
    );
  }
}

// The JWS algorithms jose verifies, as the token's `alg` spells them (case-sensitive): any
// other name would match no token, refusing every one, so it fails registration instead.
const jwsAlgorithms = new Set([
  ...['HS', 'RS', 'PS', 'ES'].flatMap((family) => ['256', '384', '512'].map((b) => family + b)),
  'EdDSA',
  'Ed25519',
  'ML-DSA-44',
  'ML-DSA-65',
  'ML-DSA-87',
]);

function checkedAlgorithms(algorithms: readonly string[], symmetric: boolean): string[] {
  if (algorithms.length === 0) throw new TypeError('auth.algorithms is empty');
  for (const algorithm of algorithms) {
    if (String(algorithm).toLowerCase() === 'none')
      throw new TypeError('auth.algorithms cannot allow "none"');
    if (!jwsAlgorithms.has(algorithm))
      throw new TypeError(
        `auth.algorithms: ${shownJson(algorithm)} is not a JWS algorithm (${[...jwsAlgorithms].join(', ')})`,
      );
    if (algorithm.startsWith('HS') !== symmetric) {
      throw new TypeError(
        symmetric
          ? `auth.algorithms: ${algorithm} does not use a shared secret (give a jwks for it)`
          : `auth.algorithms: ${algorithm} needs a shared secret, not a jwks`,
      );
    }
  }
  return [...algorithms];
}

function nonEmpty(value: string | string[], name: string): string | string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((item) => typeof item !== 'string' || item === '')) {
    throw new TypeError(`auth.${name} is required`);
  }
  return value;
}

// Only the token's own faults are 401s; a key set that cannot be fetched is the server's.
function verificationError(error: unknown): Error {
  if (error instanceof errors.JWTExpired) {
    return new TokenExpiredError('The token has expired', { cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === 'missing') {
    return new TokenInvalidError(`The token has no ${error.claim} claim`, { cause: error });
  }
  // jose reports a key set it cannot fetch or read with these, or with the bare JOSEError.
  const keySetFailure =
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    (error instanceof errors.JOSEError && error.constructor === errors.JOSEError);
  if (keySetFailure || !(error instanceof errors.JOSEError)) {
    return new ServerError('The token could not be verified', { cause: error });
  }
  return new TokenInvalidError('The token is invalid', { cause: error });
}
