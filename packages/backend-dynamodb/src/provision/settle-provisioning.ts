import { shownName, shownText } from '@macaron/core/backend';
import type { ProvisionChange } from './provision-options.js';

/**
 * Runs every table's provisioning to its end, then returns their changes, or throws the first
 * failure (in the tables' order) with the others' failures and what the others changed all the
 * same added to its message: DynamoDB provisions tables one by one, what was done stays done, and a caller told
 * only of the failure would take the call as having changed nothing. The failures are this
 * call's own errors, so the message is completed in place, their class and fields kept.
 */
export async function settleProvisioning(
  tasks: readonly Promise<readonly ProvisionChange[]>[],
): Promise<ProvisionChange[]> {
  const results = await Promise.allSettled(tasks);
  const failure = results.find((result) => result.status === 'rejected');
  const changes = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  if (failure === undefined) return changes;
  const error: unknown = failure.reason;
  if (!(error instanceof Error)) throw error;
  // The other tables' failures, each message naming its table and request.
  const others = results.flatMap((result) =>
    result.status === 'rejected' && result !== failure
      ? [shownText(String((result.reason as Error | undefined)?.message ?? result.reason))]
      : [],
  );
  if (others.length > 0)
    error.message = `${error.message}. ${others.length} other table${others.length > 1 ? 's' : ''} failed too: ${others.join('; ')}`;
  const done = changes.map(changeDone).filter((words) => words !== undefined);
  if (done.length > 0)
    error.message = `${error.message}. What this call did all the same stays done: ${done.join('; ')}`;
  throw error;
}

function changeDone({ table, action, detail }: ProvisionChange): string | undefined {
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
