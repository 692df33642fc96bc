import { NoBackendError } from '../errors/persistence-errors.js';
import type { CursorCodec } from './cursor.js';
import { checkOptionNames, optionNames } from './option-names.js';
import type { StorageBackend } from './storage-backend.js';

/** How batches retry what the engine left unprocessed. */
export interface BatchRetryOptions {
  /**
   * Calls in a row, the first included, that may leave everything unprocessed before the batch
   * gives up (default 8); a call that processes some starts the count again.
   */
  attempts?: number | undefined;
  /** First back-off delay in ms; it doubles each time, with full jitter (default 50). */
  baseDelayMs?: number | undefined;
  /** Longest delay in ms (default 2000). */
  maxDelayMs?: number | undefined;
}

/** The keys `BatchRetryOptions` may have; any other is refused (P-110). */
export const batchRetryOptionNames = optionNames('attempts', 'baseDelayMs', 'maxDelayMs');

const defaultRetry: Required<BatchRetryOptions> = {
  attempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 2000,
};

/**
 * `loadApi`'s `batchRetry` with a default for each setting not given (or given as
 * `undefined`), or a `TypeError`: a setting that is no count or delay (`attempts: undefined`
 * spread over the default made a batch the engine keeps leaving unprocessed retry for ever).
 */
export function batchRetrySettings(
  options: BatchRetryOptions | undefined,
): Required<BatchRetryOptions> {
  if (options === undefined) return defaultRetry;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError(
      'loadApi batchRetry must be an object of attempts, baseDelayMs, maxDelayMs',
    );
  checkOptionNames(options, batchRetryOptionNames, 'loadApi batchRetry', TypeError);
  const settings = {
    attempts: options.attempts ?? defaultRetry.attempts,
    baseDelayMs: options.baseDelayMs ?? defaultRetry.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? defaultRetry.maxDelayMs,
  };
  if (!Number.isSafeInteger(settings.attempts) || settings.attempts < 1)
    throw new TypeError(
      `loadApi batchRetry.attempts must be a whole number from 1, not ${String(options.attempts)}`,
    );
  for (const name of ['baseDelayMs', 'maxDelayMs'] as const)
    if (
      typeof settings[name] !== 'number' ||
      !Number.isFinite(settings[name]) ||
      settings[name] < 0
    )
      throw new TypeError(
        `loadApi batchRetry.${name} must be a number of milliseconds from 0, not ${String(options[name])}`,
      );
  return settings;
}

/** What persistent classes share: the backend, the cursor codec and retry settings. */
export interface PersistenceContext {
  /** The backend given to `loadApi`, if any. */
  readonly backend: StorageBackend | undefined;
  /** Encrypts cursors and opens them, each bound to its query. */
  readonly cursors: CursorCodec;
  /** Batch retry settings, with defaults applied. */
  readonly retry: Required<BatchRetryOptions>;
}

/** The context's backend, or a clear error when `loadApi` was given none. */
export function requireBackend(context: PersistenceContext): StorageBackend {
  if (!context.backend)
    throw new NoBackendError(
      'This API was loaded without a backend: pass { backend } to loadApi()',
    );
  return context.backend;
}

/** Waits before retry `attempt` (1-based): exponential back-off with full jitter. */
export function backoff(retry: Required<BatchRetryOptions>, attempt: number): Promise<void> {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  const delay = Math.random() * ceiling;
  return new Promise((resolve) => setTimeout(resolve, delay));
}
