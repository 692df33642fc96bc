import { isIPv4, isIPv6 } from 'node:net';

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
const timePattern = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))?$/;
const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const hostnamePattern =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : (daysInMonth[m - 1] ?? 0));
}

/** String format checks; formats not listed here are not checked. */
const stringFormats: Record<string, (value: string) => boolean> = {
  date: (value) => {
    const match = datePattern.exec(value);
    return match !== null && validDate(match[1]!, match[2]!, match[3]!);
  },
  'date-time': (value) => {
    const match = dateTimePattern.exec(value);
    return (
      match !== null &&
      validDate(match[1]!, match[2]!, match[3]!) &&
      Number(match[4]) < 24 &&
      Number(match[5]) < 60 &&
      Number(match[6]) < 61 &&
      (match[9] === undefined || (Number(match[9]) < 24 && Number(match[10]) < 60))
    );
  },
  time: (value) => {
    const match = timePattern.exec(value);
    return (
      match !== null &&
      Number(match[1]) < 24 &&
      Number(match[2]) < 60 &&
      Number(match[3]) < 61 &&
      (match[6] === undefined || (Number(match[6]) < 24 && Number(match[7]) < 60))
    );
  },
  email: (value) => emailPattern.test(value),
  uuid: (value) => uuidPattern.test(value),
  uri: (value) => {
    try {
      return new URL(value).protocol.length > 1;
    } catch {
      return false;
    }
  },
  hostname: (value) => hostnamePattern.test(value),
  ipv4: isIPv4,
  ipv6: isIPv6,
  byte: (value) => base64Pattern.test(value),
};

/** Checks a string against a named format; unknown formats pass. */
export function matchesStringFormat(format: string, value: string): boolean {
  const check = stringFormats[format];
  return check === undefined || check(value);
}

/** Integer ranges of the integer formats. */
export const integerRanges: Record<string, readonly [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};
