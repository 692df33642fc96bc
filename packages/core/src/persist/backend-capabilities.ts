import { quotedName } from '../errors/shown-name.js';
import type { BackendCapabilities } from './storage-backend.js';

const flags = ['transactions', 'ttl'] as const;
const limits = ['maxBatchGet', 'maxBatchWrite', 'maxTransactionActions', 'maxItemBytes'] as const;
// Limits a backend may leave out.
const optionalLimits = ['walkPageLimit'] as const;

/**
 * What is wrong with a backend's capabilities (`partial`: overrides of its defaults, which
 * may leave any out but name no other), or undefined. A batch limit of 0 would have core
 * split a batch into chunks for ever, a fraction send chunks of no whole size.
 */
export function capabilitiesProblem(capabilities: unknown, partial = false): string | undefined {
  if (typeof capabilities !== 'object' || capabilities === null || Array.isArray(capabilities))
    return 'capabilities must be an object';
  const given = capabilities as Record<string, unknown>;
  // A name holding `undefined` is absent, as for every options object (P-110).
  if (partial)
    for (const name of Object.keys(given))
      if (
        given[name] !== undefined &&
        !(flags as readonly string[]).includes(name) &&
        !(limits as readonly string[]).includes(name) &&
        !(optionalLimits as readonly string[]).includes(name)
      )
        return `capabilities has no ${quotedName(name)} (it has ${[...flags, ...limits, ...optionalLimits].join(', ')})`;
  for (const name of flags) {
    const value = given[name];
    if ((value !== undefined || !partial) && typeof value !== 'boolean')
      return `capabilities.${name} must be true or false, not ${describe(value)}`;
  }
  for (const name of [...limits, ...optionalLimits]) {
    const value = given[name];
    const required = !partial && !(optionalLimits as readonly string[]).includes(name);
    if (
      (value !== undefined || required) &&
      !(Number.isSafeInteger(value) && (value as number) >= 1)
    )
      return `capabilities.${name} must be a whole number of at least 1, not ${describe(value)}`;
  }
  return undefined;
}

/** `defaults` with the `overrides` a backend was given (checked with `capabilitiesProblem`). */
export function withOverrides(
  defaults: BackendCapabilities,
  overrides: Partial<BackendCapabilities> | undefined,
): BackendCapabilities {
  if (overrides === undefined) return defaults;
  const capabilities: Record<string, unknown> = { ...defaults };
  for (const [name, value] of Object.entries(overrides))
    if (value !== undefined) capabilities[name] = value;
  return capabilities as unknown as BackendCapabilities;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
