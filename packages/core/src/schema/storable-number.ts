import { withoutTrailingZeros } from './decimal-digits.js';

const largestStorable = 9.999999999999999e125;
const smallestStorable = 1e-130;
const digitLimit = 10n ** 38n;
const largestStorableInteger = 10n ** 126n;

/**
 * Why a number cannot be stored and read back exactly, or undefined when it can.
 * The limits are DynamoDB's (38 significant digits, magnitudes 1e-130 to 1e126), which
 * every backend honours so that data moves between them unchanged.
 */
export function numberProblem(value: number | bigint): string | undefined {
  if (typeof value === 'bigint') {
    const magnitude = value < 0n ? -value : value;
    if (magnitude < digitLimit) return undefined;
    if (magnitude >= largestStorableInteger) return 'is too large to be stored (1e126 or above)';
    // 10n ** 40n is one significant digit, as DynamoDB counts them (it stores 1E+40).
    return significantDigits(magnitude) > 38 ? 'has more than 38 significant digits' : undefined;
  }
  if (Number.isNaN(value)) return 'is NaN';
  if (!Number.isFinite(value)) return 'is not finite';
  if (Object.is(value, -0)) return 'is -0, which cannot be stored with its sign';
  const magnitude = Math.abs(value);
  if (magnitude > largestStorable) return 'is too large to be stored (above 1e126)';
  if (magnitude !== 0 && magnitude < smallestStorable)
    return 'is too small to be stored (below 1e-130)';
  return undefined;
}

/** The significant digits of an integer: its digits without the trailing zeros. */
export function significantDigits(integer: bigint): number {
  return withoutTrailingZeros((integer < 0n ? -integer : integer).toString()).length;
}
