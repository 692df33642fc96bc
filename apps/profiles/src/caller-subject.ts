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
  return subject;
}
