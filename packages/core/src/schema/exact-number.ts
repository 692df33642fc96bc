import { InvalidRequestError } from '../errors/persistence-errors.js';
import { withoutTrailingZeros } from './decimal-digits.js';
import { significantDigits } from './storable-number.js';

interface Decimal {
  digits: bigint;
  scale: number;
}

function toDecimal(value: number | bigint | string): Decimal {
  if (typeof value === 'bigint') return { digits: value, scale: 0 };
  // For a number: the shortest decimal that reads back as this double, which is what DynamoDB stores.
  const [mantissa = '0', exponentText] = String(value).toLowerCase().replace('+', '').split('e');
  const exponent = Number(exponentText ?? 0);
  const negative = mantissa.startsWith('-');
  const [whole = '0', fraction = ''] = mantissa.replace('-', '').split('.');
  let digits = BigInt(whole + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: negative ? -digits : digits, scale };
}

/**
 * Compares a value with a decimal text exactly (-1, 0 or 1): a number as the shortest decimal
 * that reads back as it, as DynamoDB stores it and as `isExactMultiple` reads it.
 */
export function compareWithDecimal(value: number | bigint, text: string): number {
  const a = toDecimal(value);
  const b = toDecimal(text);
  const scale = Math.max(a.scale, b.scale);
  const left = a.digits * 10n ** BigInt(scale - a.scale);
  const right = b.digits * 10n ** BigInt(scale - b.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The largest integer at or below a decimal text. */
export function decimalFloor(text: string): bigint {
  const { digits, scale } = toDecimal(text);
  const unit = 10n ** BigInt(scale);
  const quotient = digits / unit;
  return digits < 0n && quotient * unit !== digits ? quotient - 1n : quotient;
}

/**
 * True when `value` is a whole multiple of `divisor`, in exact decimal (0.3 is a multiple of
 * 0.1, as JSON's texts say; 1e-10 is not a multiple of 3). A divisor of 0 or less has none.
 */
export function isExactMultiple(value: number | bigint, divisor: number | bigint): boolean {
  if (typeof divisor === 'bigint' ? divisor <= 0n : !(divisor > 0) || !Number.isFinite(divisor))
    return false;
  const a = toDecimal(value);
  const b = toDecimal(divisor);
  // a.digits / 10^a.scale ÷ b.digits / 10^b.scale is whole when a.digits · 10^b.scale is a
  // multiple of b.digits · 10^a.scale.
  const numerator = a.digits * 10n ** BigInt(b.scale);
  const denominator = b.digits * 10n ** BigInt(a.scale);
  return numerator % denominator === 0n;
}

/**
 * Adds two numbers exactly in decimal, as DynamoDB does (0.1 + 0.2 is 0.3, not
 * 0.30000000000000004). Integers beyond 2^53 come back as bigint. A sum DynamoDB cannot
 * store (beyond 38 significant digits, a magnitude of 1e126 or more, or below 1e-130) is
 * refused, as DynamoDB refuses it.
 */
export function addExactly(left: number | bigint, right: number | bigint): number | bigint {
  return inStorableRange(sumExactly(left, right));
}

function sumExactly(left: number | bigint, right: number | bigint): number | bigint {
  if (
    typeof left === 'number' &&
    typeof right === 'number' &&
    Number.isInteger(left) &&
    Number.isInteger(right)
  ) {
    const sum = left + right;
    if (Number.isSafeInteger(sum)) return sum;
  }
  if (isWhole(left) && isWhole(right)) {
    // Integers add exactly as bigints: no decimal text to go through.
    const sum = BigInt(left) + BigInt(right);
    if ((sum >= tenTo38 || sum <= -tenTo38) && significantDigits(sum) > 38)
      throw new InvalidRequestError(
        'Number overflow: the result has more than 38 significant digits',
      );
    return Number.isSafeInteger(Number(sum)) ? Number(sum) : sum;
  }
  const a = toDecimal(left);
  const b = toDecimal(right);
  const scale = Math.max(a.scale, b.scale);
  const sum = a.digits * 10n ** BigInt(scale - a.scale) + b.digits * 10n ** BigInt(scale - b.scale);
  const magnitude = withoutTrailingZeros((sum < 0n ? -sum : sum).toString());
  if (magnitude.length > 38)
    throw new InvalidRequestError(
      'Number overflow: the result has more than 38 significant digits',
    );
  const text = (sum < 0n ? -sum : sum).toString().padStart(scale + 1, '0');
  const result = fromDecimal(
    { digits: sum, scale },
    `${sum < 0n ? '-' : ''}${text.slice(0, -scale)}.${text.slice(-scale)}`,
  );
  if (result === undefined) {
    // DynamoDB would store the exact sum, which no JavaScript number can read back.
    throw new InvalidRequestError(
      'The exact sum has more significant digits than a JavaScript number holds',
    );
  }
  return result;
}

const tenTo38 = 10n ** 38n;
const tenTo126 = 10n ** 126n;

// DynamoDB's magnitudes: 1e-130 to below 1e126 (a double reaches 1e126 from 9.999999999999999e125).
function inStorableRange(sum: number | bigint): number | bigint {
  const tooLarge =
    typeof sum === 'bigint' ? sum >= tenTo126 || sum <= -tenTo126 : Math.abs(sum) >= 1e126;
  if (tooLarge)
    throw new InvalidRequestError(
      'Number overflow: the result has a magnitude of 1e126 or more, beyond what can be stored',
    );
  if (typeof sum === 'number' && sum !== 0 && Math.abs(sum) < 1e-130)
    throw new InvalidRequestError(
      'Number underflow: the result has a magnitude below 1e-130, beyond what can be stored',
    );
  return sum;
}

function isWhole(value: number | bigint): boolean {
  return typeof value === 'bigint' || Number.isSafeInteger(value);
}

// The number for a decimal, or undefined when no JavaScript number holds it exactly.
function fromDecimal(decimal: Decimal, text: string): number | bigint | undefined {
  const unit = 10n ** BigInt(Math.max(decimal.scale, 0));
  if (decimal.scale <= 0 || decimal.digits % unit === 0n) {
    const integer = decimal.digits / unit;
    return Number.isSafeInteger(Number(integer)) ? Number(integer) : integer;
  }
  const result = Number(text);
  // A fraction beyond a double's range (400 digits before the point) is no double.
  if (!Number.isFinite(result)) return undefined;
  const back = toDecimal(result);
  return back.digits * 10n ** BigInt(decimal.scale) === decimal.digits * 10n ** BigInt(back.scale)
    ? result
    : undefined;
}

/**
 * Reads a decimal string (as DynamoDB returns numbers) exactly: integers beyond 2^53
 * become bigint; a decimal no JavaScript number holds exactly gives undefined, never a
 * rounded value.
 */
export function parseExactNumber(text: string): number | bigint | undefined {
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
  // Without an exponent, a text of 1,000 characters at most is within both bounds below.
  if (text.length <= 1000 && !text.includes('e') && !text.includes('E'))
    return fromDecimal(toDecimal(text), text);
  // What an exponent claims is measured before any bigint is built: `1E-1000000000` (13
  // characters, which moto stores as sent) would otherwise take a power of ten of a billion
  // digits, seconds of blocked thread, then a RangeError.
  const [mantissa = '', exponentText = '0'] = text.toLowerCase().split('e');
  const [whole = '', fraction = ''] = mantissa.replace('-', '').split('.');
  const significant = `${whole}${fraction}`.replace(/^0+/, '');
  if (significant === '') return 0;
  const kept = significant.replace(/0+$/, '');
  // The value is kept × 10^power.
  const power = Number(exponentText) - fraction.length + (significant.length - kept.length);
  if (-power > maxFractionDigits || kept.length + power > maxIntegerDigits) return undefined;
  return fromDecimal(toDecimal(text), text);
}

// A double's exact decimal has at most 1,074 digits after the point (2^-1074's): a value with
// more is no double.
const maxFractionDigits = 1074;
// The most digits an engine's integer has (PostgreSQL's numeric: 131,072 before the point;
// DynamoDB's stay below 1e126), and a bigint built in milliseconds: an integer with more
// digits is given as none.
const maxIntegerDigits = 131_072;
