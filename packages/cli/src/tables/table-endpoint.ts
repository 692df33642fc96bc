import { UsageError } from '../cli/cli-error.js';

/** Where the tables commands connect. */
export interface ConnectionOptions {
  /** DynamoDB endpoint URL (a local engine, or another region's); the SDK's default otherwise. */
  endpoint?: string;
  /** AWS region; AWS_REGION, AWS_DEFAULT_REGION or the SDK's configuration otherwise. */
  region?: string;
}

const loopbackHosts = new Set(['localhost', '::1', '[::1]']);

/** True when the endpoint is on this machine (a local engine such as dynalite). */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return false;
  const host = new URL(endpoint).hostname;
  return loopbackHosts.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Checks the endpoint option: an http(s) URL. */
export function checkEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint must be a URL such as http://localhost:8000, not ${endpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--endpoint must be an http or https URL, not ${endpoint}`);
  return endpoint;
}
