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

/**
 * A URL as written, for a message: the password of its userinfo (`user:password@`) becomes
 * `***`, whether or not the rest parses as a URL. Messages never echo credentials.
 */
export function redactUrl(text: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text);
  if (!scheme) return text;
  const start = scheme[0].length;
  const rest = text.slice(start);
  const authority = rest.slice(0, rest.search(/[/?#]|$/));
  const at = authority.lastIndexOf('@');
  const colon = authority.indexOf(':');
  if (at < 0 || colon < 0 || colon > at) return text;
  return `${text.slice(0, start + colon + 1)}***${text.slice(start + at)}`;
}

/** Checks the endpoint option: an http(s) URL. */
export function checkEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(
      `--endpoint must be a URL such as http://localhost:8000, not ${redactUrl(endpoint)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--endpoint must be an http or https URL, not ${redactUrl(endpoint)}`);
  return endpoint;
}
