/**
 * A number as the text DynamoDB is sent: plain decimal digits, never an exponent. JavaScript
 * writes `1e-7` and `1e+21`, which DynamoDB reads, but other engines do not all read in every
 * place (moto's `ADD` fails on `1e-7`, and on the `1E-7` boto3 writes from a `Decimal`):
 * `0.0000001` and `1000000000000000000000` are the same numbers for every reader.
 */
export function numberText(value: number | bigint): string {
  const text = String(value);
  return typeof value === 'number' && text.includes('e') ? withoutExponent(text) : text;
}

function withoutExponent(text: string): string {
  const negative = text.startsWith('-');
  const [mantissa = '', exponent = '0'] = (negative ? text.slice(1) : text).split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  const digits = whole + fraction;
  // Where the decimal point falls among the digits.
  const point = whole.length + Number(exponent);
  const plain =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}
