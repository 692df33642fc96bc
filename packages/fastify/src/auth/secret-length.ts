/**
 * RFC 7518 §3.2: an HMAC key must be at least as long as the hash output, so that a shared
 * secret cannot be brute-forced more easily than the signature itself.
 */
const hashBytesByAlgorithm: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };

/** The shortest secret the accepted HMAC algorithms allow, in bytes: that of the strongest one. */
export function minimumSecretBytes(algorithms: readonly string[]): number {
  return Math.max(32, ...algorithms.map((algorithm) => hashBytesByAlgorithm[algorithm] ?? 32));
}

/**
 * Refuses a secret shorter than the algorithms require, unless the application says it is a
 * legacy secret it cannot replace yet (`allowShortSecret`). An empty secret is always refused.
 */
export function checkSecretLength(
  secret: Uint8Array,
  algorithms: readonly string[],
  allowShortSecret: boolean,
): void {
  if (secret.length === 0) throw new TypeError('auth.secret is empty');
  const minimum = minimumSecretBytes(algorithms);
  if (secret.length < minimum && !allowShortSecret) {
    throw new TypeError(
      `auth.secret is ${secret.length} bytes; ${algorithms.join(', ')} need${algorithms.length === 1 ? 's' : ''} at least ${minimum} (RFC 7518 §3.2). ` +
        'Use a longer random secret, or set auth.allowShortSecret to accept a legacy one while you migrate.',
    );
  }
}
