import { InvalidRequestError } from '@macaron/core';

interface Decimal {
  digits: bigint;
  scale: number;
}

function toDecimal(value: number | bigint): Decimal {
  if (typeof value === 'bigint') return { digits: value, scale: 0 };
  // The shortest decimal that reads back as this double: what DynamoDB stores.
  const [mantissa = '0', exponentText] = String(value).toLowerCase().split('e');
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
 * Adds two numbers exactly in decimal, as DynamoDB does (0.1 + 0.2 is 0.3, not
 * 0.30000000000000004). Integers beyond 2^53 come back as bigint.
 */
export function decimalSum(left: number | bigint, right: number | bigint): number | bigint {
  if (typeof left === 'number' && typeof right === 'number' && Number.isInteger(left) && Number.isInteger(right)) {
    const sum = left + right;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const a = toDecimal(left);
  const b = toDecimal(right);
  const scale = Math.max(a.scale, b.scale);
  const sum = a.digits * 10n ** BigInt(scale - a.scale) + b.digits * 10n ** BigInt(scale - b.scale);
  const magnitude = (sum < 0n ? -sum : sum).toString().replace(/0+$/, '');
  if (magnitude.length > 38)
    throw new InvalidRequestError(
      'Number overflow: the result has more than 38 significant digits',
    );
  if (scale === 0 || sum % 10n ** BigInt(scale) === 0n) {
    const integer = sum / 10n ** BigInt(scale);
    return Number.isSafeInteger(Number(integer)) ? Number(integer) : integer;
  }
  const text = (sum < 0n ? -sum : sum).toString().padStart(scale + 1, '0');
  const result = Number(`${sum < 0n ? '-' : ''}${text.slice(0, -scale)}.${text.slice(-scale)}`);
  const back = toDecimal(result);
  if (back.digits * 10n ** BigInt(scale) !== sum * 10n ** BigInt(back.scale)) {
    // DynamoDB would store the exact sum, which no JavaScript number can read back.
    throw new InvalidRequestError(
      'The exact sum has more significant digits than a JavaScript number holds',
    );
  }
  return result;
}
