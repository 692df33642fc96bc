import { MacaronError } from '@macaron/core';
import type { JWTPayload } from 'jose';

/** The token is valid but names nobody (`sub`), so it can own nothing (403). */
export class SubjectMissingError extends MacaronError {
  static override code = 'TOKEN_SUBJECT_MISSING';
  static override status = 403;
}

/**
 * The subject (`sub`) of the verified token: who creates, and so owns, a profile. A token
 * without one is refused for writes: a profile it created could never be changed by anyone.
 */
export function callerSubject(claims: JWTPayload | undefined): string {
  const subject = claims?.sub;
  if (typeof subject !== 'string' || subject === '') {
    throw new SubjectMissingError('The token has no subject (sub): it cannot own a profile', {
      userMessage: 'Sign in with an account to change profiles',
    });
  }
  // A subject is stored as the owner: one that is not well-formed text (a lone surrogate, a
  // control character) names nobody a profile could be given back to.
  if (!subject.isWellFormed() || /\p{Cc}/u.test(subject)) {
    throw new SubjectMissingError("The token's subject (sub) is not well-formed text", {
      userMessage: 'Sign in with an account to change profiles',
    });
  }
  return subject;
}
