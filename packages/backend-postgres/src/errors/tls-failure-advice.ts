/*
 * A TLS handshake node-postgres refused says what went wrong in OpenSSL's words (`self-signed
 * certificate in certificate chain`), not what to change: the connection string's sslmode and
 * sslrootcert, the pool's `ssl`, or the server. Known by Node's error code, never translated.
 */

// The server's chain leads to no certificate authority the client was given (or Node trusts).
const untrusted = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

/** What to change when `cause` is a TLS failure of the connection, or undefined. */
export function tlsFailureAdvice(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' && untrusted.has(code))
    return "the server's TLS certificate is signed by no authority this client trusts: give the authority's certificate (a managed service's CA bundle) as sslrootcert=<file> in the connection string, or as ssl: { ca } in the pool's options";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return "the server's TLS certificate does not name the host connected to: connect by a name the certificate holds (node-postgres checks the name under sslmode prefer, require and verify-ca too; uselibpqcompat=true&sslmode=verify-ca checks the authority alone)";
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return "the server's TLS certificate is out of its validity period: renew it on the server (or check this machine's clock)";
  // node-postgres's own words when the server answers the SSLRequest with 'N'.
  if (/server does not support SSL/i.test(cause.message))
    return 'the server accepts no TLS connections: turn ssl on there, or connect unencrypted with sslmode=disable';
  return undefined;
}
