import { SignJWT } from 'jose';

/** What a bearer token of the service is signed with and checked against. */
export interface TokenIssuer {
  secret: string;
  issuer: string;
  audience: string;
}

/** An HS256 token for `subject`, valid for a day: the service's demo token, or `make-token`'s. */
export function bearerToken(issuer: TokenIssuer, subject: string): Promise<string> {
  return new SignJWT({ sub: subject })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(issuer.issuer)
    .setAudience(issuer.audience)
    .setIssuedAt()
    .setExpirationTime('1d')
    .sign(new TextEncoder().encode(issuer.secret));
}
