import { isIPv4, isIPv6 } from 'node:net';

/** True for a host name or address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (unbracketed.toLowerCase() === 'localhost') return true;
  if (isIPv4(unbracketed)) return unbracketed.split('.')[0] === '127';
  if (isIPv6(unbracketed)) {
    const lower = unbracketed.toLowerCase();
    if (lower.startsWith('::ffff:')) return isLoopbackHost(lower.slice('::ffff:'.length));
    return /^(0{0,4}:){2,7}0{0,3}1$/.test(lower);
  }
  return false;
}

/** The host part of a URL: IPv6 addresses are bracketed. */
export function urlHost(address: string): string {
  return isIPv6(address) ? `[${address}]` : address;
}
