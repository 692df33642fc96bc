import { NoBackendError } from '../errors/persistence-errors.js';
import type { CursorCodec } from './cursor.js';
import { optionNames } from './option-names.js';
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
