import { shownName, shownText } from '@macaron/core/backend';
import type { ProvisionChange } from './provision-options.js';

/**
 * One table's provisioning: `done` is given each change as it is made, so that what was done
 * before a failure is known; it resolves to the table's changes.
 */
export type TableProvisioning = (done: ProvisionChange[]) => Promise<readonly ProvisionChange[]>;

/**
 * Runs every table's provisioning to its end, then returns their changes, or throws the first
 * failure (in the tables' order) with the others' failures and what the call changed all the
 * same (in the failed tables too, before they failed) added to its message: DynamoDB provisions
 * tables one by one, and a table in several requests (created, then TTL; one index, then the
 * next), what was done stays done, and a caller told only of the failure would take the call as
 * having changed nothing. The failures are this call's own errors, so the message is completed
 * in place, their class and fields kept.
 */
export async function settleProvisioning(
  tables: readonly TableProvisioning[],
): Promise<ProvisionChange[]> {
  const made = tables.map(() => [] as ProvisionChange[]);
  const results = await Promise.allSettled(tables.map((table, position) => table(made[position]!)));
  return changesOrFailure(results, made);
}

/**
 * The changes of tables provisioned side by side (`results`, and `made`: what each had done as
 * it went), or the first failure completed as `settleProvisioning` says.
 */
export function changesOrFailure(
  results: readonly PromiseSettledResult<readonly ProvisionChange[]>[],
  made: readonly (readonly ProvisionChange[])[],
): ProvisionChange[] {
  const failure = results.find((result) => result.status === 'rejected');
  if (failure === undefined)
    return results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  const error: unknown = failure.reason;
  if (!(error instanceof Error)) throw error;
  sayingOtherFailures(
    error,
    results.flatMap((result) =>
      result.status === 'rejected' && result !== failure ? [result.reason] : [],
    ),
  );
  const done = made
    .flat()
    .map(changeDone)
    .filter((words) => words !== undefined);
  if (done.length > 0)
    error.message = `${error.message}. What this call did all the same stays done: ${done.join('; ')}`;
  throw error;
}

/** Adds the other tables' failures (`others`, each message naming its table and request). */
export function sayingOtherFailures(error: Error, others: readonly unknown[]): Error {
  const said = others.map((other) =>
    shownText(String((other as Error | undefined)?.message ?? other)),
  );
  if (said.length > 0)
    error.message = `${error.message}. ${said.length} other table${said.length > 1 ? 's' : ''} failed too: ${said.join('; ')}`;
  return error;
}

function changeDone(change: ProvisionChange): string | undefined {
  const words = changeWords(change);
  return words === undefined || change.madeBy === undefined
    ? words
    : `${words} (or another process did: an answer was lost)`;
}

function changeWords({ table, action, detail }: ProvisionChange): string | undefined {
  const name = shownName(table);
  switch (action) {
    case 'created':
      return `created table ${name}`;
    case 'index-added':
      return `added index ${shownName(detail ?? '')} to table ${name}`;
    case 'ttl-enabled':
      return `turned time to live on for table ${name} (attribute ${shownName(detail ?? '')})`;
    case 'deleted':
      return `deleted table ${name}`;
    default:
      return undefined;
  }
}
