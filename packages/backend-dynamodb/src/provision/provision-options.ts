import { checkOptionNames, type OptionNames, optionNames } from '@macaron/core/backend';

/** Capacity of a provisioned table or index, in read and write capacity units. */
export interface ProvisionedThroughput {
  /** Read capacity units (at least 1). */
  read: number;
  /** Write capacity units (at least 1). */
  write: number;
}

/** How tables are created and how long provisioning waits for them. */
export interface ProvisionOptions {
  /** On-demand (`PAY_PER_REQUEST`, the default without `throughput`) or `PROVISIONED` capacity. */
  billingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED' | undefined;
  /** Capacity of the table and of each of its indexes; required for `PROVISIONED`. */
  throughput?: ProvisionedThroughput | undefined;
  /** Longest wait for one table or index to become ACTIVE or gone, in ms; 120000 by default. */
  waitTimeoutMs?: number | undefined;
  /** Pause between two DescribeTable polls while waiting, in ms; 1000 by default. */
  pollIntervalMs?: number | undefined;
}

/** The keys of `ProvisionOptions`, and those `deleteTables` takes; any other is refused (P-110). */
export const provisionOptionNames = optionNames(
  'billingMode',
  'throughput',
  'waitTimeoutMs',
  'pollIntervalMs',
);
/** The keys of `ProvisionedThroughput`; any other is refused (P-110). */
export const throughputOptionNames = optionNames('read', 'write');

/** What provisioning did to one table (one entry per change, in the order of the tables). */
export interface ProvisionChange {
  /** Physical table name. */
  table: string;
  /**
   * `created`, `index-added` (detail: the index), `ttl-enabled` (detail: the attribute),
   * `ttl-unsupported` (the engine has no UpdateTimeToLive), `unchanged`, `deleted` or
   * `absent` (nothing to delete: no such table, or one another process was deleting already,
   * waited for until gone).
   */
  action:
    | 'created'
    | 'index-added'
    | 'ttl-enabled'
    | 'ttl-unsupported'
    | 'unchanged'
    | 'deleted'
    | 'absent';
  /** Human-readable detail, e.g. the index or attribute concerned. */
  detail?: string;
  /**
   * `unknown` when this call cannot tell whether it made the change or another process made it
   * meanwhile: an attempt of its request failed after it was sent (a lost connection, a 500),
   * and the SDK's retry found the change made. The table is as reported either way. Absent when
   * the change is this call's.
   */
  madeBy?: 'unknown';
}

/** The wait settings with their defaults applied. */
export interface WaitSettings {
  /** Longest wait, in ms. */
  timeoutMs: number;
  /** Pause between polls, in ms. */
  pollIntervalMs: number;
}

/**
 * The wait settings of `options`, defaults applied, once `options` is found to hold only keys
 * `where` takes (all of `ProvisionOptions`, or the wait settings alone): `InvalidRequestError`,
 * before anything is sent, as for the provisioning functions' other bad input.
 */
export function waitSettings(
  options: ProvisionOptions = {},
  where: string,
  known: OptionNames = provisionOptionNames,
): WaitSettings {
  checkOptionNames(options, known, where);
  return {
    timeoutMs: options.waitTimeoutMs ?? 120_000,
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
  };
}
