import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { useLocalEngine } from '../local-engine.js';
import { badInputCases } from './bad-input-cases.js';
import { expectTypedError, openCatalogue, snapshot } from './bad-input-fixture.js';

const engine = useLocalEngine();
const capabilities = { ...dynamoDbCapabilities, transactions: false, ttl: false };

describe('bad-input catalogue on dynalite: a typed error, and the store unchanged', () => {
  it('holds at least 40 cases', () => {
    expect(badInputCases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(
    badInputCases.map(
      (entry) => [`[${entry.rule}] ${entry.name}: ${entry.error.name}`, entry] as const,
    ),
  )('%s', async (_title, entry) => {
    const backend = createDynamoDbBackend({ client: engine().engine.client, capabilities });
    const context = await openCatalogue(backend);
    const before = await snapshot(engine().rawClient, context.api);
    const error = await expectTypedError(() => entry.attempt(context), entry.error);
    expect(error.code).toBe(entry.code);
    expect(await snapshot(engine().rawClient, context.api)).toEqual(before);
  });
});
