import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStorage } from './open-storage.js';
import { readServiceConfig } from './service-config.js';

describe('openStorage: what the banner says', () => {
  const aws = readServiceConfig({ DYNAMODB_ENDPOINT: 'aws' });
  // The SDK reads the region from the process's environment: start-up refuses to go without one.
  beforeEach(() => void vi.stubEnv('AWS_REGION', 'eu-west-1'));
  afterEach(() => void vi.unstubAllEnvs());
  const description = async (environment: NodeJS.ProcessEnv) => {
    const storage = await openStorage(aws, environment);
    await storage.stop();
    return storage.description;
  };

  it('names the endpoint the AWS SDK takes from AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL', async () => {
    expect(await description({})).toBe('Amazon DynamoDB (AWS)');
    expect(
      await description({
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:18300',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      }),
    ).toBe('DynamoDB at http://127.0.0.1:18300 (from AWS_ENDPOINT_URL_DYNAMODB)');
    expect(await description({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' })).toBe(
      'DynamoDB at http://127.0.0.1:1 (from AWS_ENDPOINT_URL)',
    );
    expect(
      await description({
        AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      }),
    ).toBe('Amazon DynamoDB (AWS)');
  });

  it('takes the region from AWS_DEFAULT_REGION when AWS_REGION is not set, as boto3 and macaron tables do', async () => {
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', 'macaron-no-such-profile');
    expect(await description({ AWS_DEFAULT_REGION: 'eu-west-3' })).toBe('Amazon DynamoDB (AWS)');
    await expect(openStorage(aws, {})).rejects.toThrow('DYNAMODB_ENDPOINT=aws needs an AWS region');
    await expect(openStorage(aws, { AWS_DEFAULT_REGION: 'no region' })).rejects.toThrow(
      'AWS_DEFAULT_REGION must be a region name, as eu-west-1, not "no region"',
    );
  });
});
