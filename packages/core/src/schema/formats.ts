import { isIPv4, isIPv6 } from 'node:net';

const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const whitespace = /\s/;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const hostnamePattern =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : (daysInMonth[month - 1] ?? 0));
}

// The formats below are read digit by digit rather than by a regular expression with groups:
// they are checked on every save of every object that has one, and a match allocates.

/** The number the `count` ASCII digits at `start` spell, or -1 when one is not a digit. */
function digitsAt(value: string, start: number, count: number): number {
  let number = 0;
  for (let index = start; index < start + count; index++) {
    const digit = value.charCodeAt(index) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/** `YYYY-MM-DD` at `start`, a real date. */
function isDateAt(value: string, start: number): boolean {
  if (value.charCodeAt(start + 4) !== 0x2d || value.charCodeAt(start + 7) !== 0x2d) return false;
  const year = digitsAt(value, start, 4);
  const month = digitsAt(value, start + 5, 2);
  const day = digitsAt(value, start + 8, 2);
  return year >= 0 && month >= 0 && day >= 0 && validDate(year, month, day);
}

/**
 * `hh:mm:ss`, an optional fraction, then a zone (`Z`, `z` or `±hh:mm`) as RFC 3339 has it:
 * from `start` to the end of the value, the zone required unless `zoneOptional`.
 */
function isTimeAt(value: string, start: number, zoneOptional: boolean): boolean {
  if (value.charCodeAt(start + 2) !== 0x3a || value.charCodeAt(start + 5) !== 0x3a) return false;
  const hour = digitsAt(value, start, 2);
  const minute = digitsAt(value, start + 3, 2);
  const second = digitsAt(value, start + 6, 2);
  if (hour < 0 || hour >= 24 || minute < 0 || minute >= 60 || second < 0 || second >= 61)
    return false;
  let index = start + 8;
  if (value.charCodeAt(index) === 0x2e) {
    const digits = ++index;
    while (digitsAt(value, index, 1) >= 0) index++;
    if (index === digits) return false;
  }
  if (index === value.length) return zoneOptional && leapSecondFits(hour, minute, second, 0);
  const zone = value.charCodeAt(index);
  if (zone === 0x5a || zone === 0x7a)
    return index + 1 === value.length && leapSecondFits(hour, minute, second, 0);
  if (zone !== 0x2b && zone !== 0x2d) return false;
  if (index + 6 !== value.length || value.charCodeAt(index + 3) !== 0x3a) return false;
  const zoneHour = digitsAt(value, index + 1, 2);
  const zoneMinute = digitsAt(value, index + 4, 2);
  if (zoneHour < 0 || zoneHour >= 24 || zoneMinute < 0 || zoneMinute >= 60) return false;
  const offset = (zone === 0x2d ? -1 : 1) * (zoneHour * 60 + zoneMinute);
  return leapSecondFits(hour, minute, second, offset);
}

/**
 * A leap second is the 61st second of the last minute of a UTC day (RFC 3339 §5.7): 23:59:60
 * in UTC, the same instant in the time's own offset. (A function of its own, not a closure in
 * `isTimeAt`, which would allocate one for every date-time checked.)
 */
function leapSecondFits(hour: number, minute: number, second: number, offsetMinutes: number) {
  return second !== 60 || (hour * 60 + minute - offsetMinutes + 1440) % 1440 === 1439;
}

// The tables below are looked up by the spec's `format`, any string: without a prototype, so
// that `valueOf` or `__proto__` is a format they do not list, not Object.prototype's member.

/** String format checks; formats not listed here are not checked. */
const stringFormats: Record<string, (value: string) => boolean> = withoutPrototype({
  date: (value) => value.length === 10 && isDateAt(value, 0),
  'date-time': (value) => {
    const separator = value.charCodeAt(10);
    return (
      (separator === 0x54 || separator === 0x74) && isDateAt(value, 0) && isTimeAt(value, 11, false)
    );
  },
  time: (value) => isTimeAt(value, 0, true),
  email: isEmail,
  uuid: (value) => uuidPattern.test(value),
  uri: (value) => {
    if (hasLongForeignHost(value)) return false;
    try {
      return new URL(value).protocol.length > 1;
    } catch {
      return false;
    }
  },
  hostname: (value) => hostnamePattern.test(value),
  ipv4: isIPv4,
  // RFC 4291's text form, which has no zone: Node's isIPv6 also takes `fe80::1%eth0` (RFC 4007).
  ipv6: (value) => !value.includes('%') && isIPv6(value),
  byte: (value) => base64Pattern.test(value),
});

/**
 * `local@domain.tld` as the pattern `^[^\s@]+@[^\s@]+\.[^\s@]+$` reads it (no whitespace, one
 * `@`, a dot inside the domain), read in one pass: the pattern backtracks on a run of dots
 * (`a@....@`), quadratically (100 KB: 5 s).
 */
function isEmail(value: string): boolean {
  const at = value.indexOf('@');
  if (at < 1 || value.indexOf('@', at + 1) !== -1 || whitespace.test(value)) return false;
  const dot = value.indexOf('.', at + 2);
  return dot !== -1 && dot < value.length - 1;
}

// The schemes whose URLs have a host that WHATWG's parser maps to ASCII (punycode).
const specialSchemes = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);
// Far above any DNS name (253 octets), and short enough for Node's punycode to take no time.
const hostLimit = 1024;

/**
 * Whether a URL with a special scheme has a host, as the parser reads it, of over 1,024
 * characters holding anything beyond ASCII or a percent sign: no DNS name is that long, and
 * Node's parser encodes such a host in time quadratic in its length (300,000 characters: 9 s).
 */
function hasLongForeignHost(value: string): boolean {
  if (value.length <= hostLimit) return false;
  const text = parserView(value);
  const colon = text.indexOf(':');
  if (colon < 1) return false;
  const scheme = text.slice(0, colon + 1).toLowerCase();
  if (!specialSchemes.has(scheme)) return false;
  let start = colon + 1;
  if (scheme === 'file:') {
    // `file://host/path`; `file:///path` and `file:/path` have no host.
    if (!isSlash(text[start]) || !isSlash(text[start + 1])) return false;
    start += 2;
  } else while (isSlash(text[start])) start++;
  let end = start;
  while (end < text.length && !isSlash(text[end]) && text[end] !== '?' && text[end] !== '#') end++;
  const host = text.slice(Math.max(start, text.lastIndexOf('@', end - 1) + 1), end);
  return host.length > hostLimit && (host.includes('%') || !isAscii(host));
}

// The text as WHATWG's parser reads it: no C0 control or space at either end, no tab or
// newline anywhere.
function parserView(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) <= 0x20) start++;
  while (end > start && value.charCodeAt(end - 1) <= 0x20) end--;
  return value.slice(start, end).replace(/[\t\n\r]/g, '');
}

function isSlash(character: string | undefined): boolean {
  return character === '/' || character === '\\';
}

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) > 0x7f) return false;
  return true;
}

/** Checks a string against a named format; unknown formats pass. */
export function matchesStringFormat(format: string, value: string): boolean {
  const check = stringFormats[format];
  return check === undefined || check(value);
}

/** Integer ranges of the integer formats. */
export const integerRanges: Record<string, readonly [bigint, bigint]> = withoutPrototype({
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
});

function withoutPrototype<T extends object>(entries: T): T {
  return Object.assign(Object.create(null) as T, entries);
}
