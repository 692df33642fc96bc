// The hand-written chunk-and-retry loop: chunks of 25, unprocessed items retried with jittered
// exponential back-off (8 attempts, 50 ms doubling up to 2 s: Macaron's defaults).
const attempts = 8;
const baseDelayMs = 50;
const maxDelayMs = 2000;

/** Chunks of at most `size`. */
export function chunks(list, size) {
  const result = [];
  for (let start = 0; start < list.length; start += size)
    result.push(list.slice(start, start + size));
  return result;
}

/** Sends one chunk until nothing is left unprocessed; `send` returns what is. */
export async function sendWithRetry(chunk, send) {
  let pending = chunk;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) {
      if (attempt > attempts) throw new Error(`${pending.length} items still unprocessed`);
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 2));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
    pending = await send(pending);
  }
}

/** Writes every item in chunks of 25, each retried until written. */
export async function writeInChunks(items, send) {
  for (const chunk of chunks(items, 25)) await sendWithRetry(chunk, send);
}
