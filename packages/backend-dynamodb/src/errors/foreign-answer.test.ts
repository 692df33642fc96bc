import { describe, expect, it } from 'vitest';
import { isForeignRefusal } from './foreign-answer.js';

describe('isForeignRefusal', () => {
  const answered = (name: string, httpStatusCode: number) => ({
    name,
    $metadata: { httpStatusCode },
  });

  it("is true for a 4xx naming no DynamoDB or AWS error (a proxy's page, an unknown type)", () => {
    expect(isForeignRefusal(answered('Unknown', 400))).toBe(true);
    expect(isForeignRefusal(answered('SyntaxError', 403))).toBe(true);
    expect(isForeignRefusal(answered('GatewayTimeout', 400))).toBe(true);
  });

  it("is false for DynamoDB's own refusals, a 429 (a throttle, whoever sends it), and any other status", () => {
    for (const name of [
      'ValidationException',
      'ConditionalCheckFailedException',
      'ResourceNotFoundException',
      'AccessDeniedException',
      'UnrecognizedClientException',
      'TransactionCanceledException',
    ])
      expect(isForeignRefusal(answered(name, 400)), name).toBe(false);
    expect(isForeignRefusal(answered('Unknown', 429))).toBe(false);
    // A body too large, refused where it was read (dynalite's answer past 16 MB): not forwarded.
    expect(isForeignRefusal(answered('Unknown', 413))).toBe(false);
    expect(isForeignRefusal(answered('Unknown', 502))).toBe(false);
    expect(isForeignRefusal(answered('Unknown', 200))).toBe(false);
    expect(isForeignRefusal({ name: 'Unknown' })).toBe(false);
  });
});
