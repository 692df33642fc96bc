import { ConditionFailedError } from '../errors/persistence-errors.js';

const attempts = 3;

/**
 * Reads an item back to tell which condition of a failed write did not hold. The write's
 * failure is certain even when that read is not: the read is retried, and if it keeps
 * failing the outcome is still a `ConditionFailedError` (never a 500), with the read's
 * failure as its cause and a message that says what could not be told apart.
 */
export async function readForExplanation<T>(
  read: () => Promise<T>,
  alternatives: string,
): Promise<T> {
  let failure: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await read();
    } catch (error) {
      failure = error;
      if (attempt < attempts - 1) await new Promise((done) => setTimeout(done, 25 * 2 ** attempt));
    }
  }
  throw new ConditionFailedError(
    `The write's condition did not hold and nothing was written, but reading the item back to say why failed: ${alternatives}`,
    { cause: failure },
  );
}
