import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

describe('createMemoryBackend capabilities', () => {
  it.each([
    [{ maxBatchGet: 0 }, 'capabilities.maxBatchGet must be a whole number of at least 1, not 0'],
    [{ maxBatchWrite: -5 }, 'capabilities.maxBatchWrite must be a whole number of at least 1'],
    [{ maxBatchWrite: 0.5 }, 'not 0.5'],
    [{ maxItemBytes: Number.NaN }, 'capabilities.maxItemBytes'],
    [{ transactions: 1 }, 'capabilities.transactions must be true or false'],
    [{ maxBatchGets: 10 }, 'capabilities has no "maxBatchGets"'],
  ])('refuses %j, naming the capability', (capabilities, message) => {
    const create = () => createMemoryBackend({ capabilities: capabilities as never });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });

  it('takes overrides, an undefined one keeping the default', () => {
    const backend = createMemoryBackend({
      capabilities: { maxBatchWrite: 5, maxBatchGet: undefined },
    });
    expect(backend.capabilities).toMatchObject({ maxBatchWrite: 5, maxBatchGet: 100 });
  });
});
