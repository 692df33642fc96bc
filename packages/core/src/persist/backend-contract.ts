import { shownJson } from '../errors/shown-name.js';
import { capabilitiesProblem } from './backend-capabilities.js';
import type { StorageBackend } from './storage-backend.js';

/**
 * The version of the `StorageBackend` contract this core implements. A backend declares
 * the version it was built for as `contractVersion`; when the contract changes in a way
 * backends must follow, the number goes up and core refuses backends built for another.
 */
export const backendContractVersion = 1;

/**
 * Throws a `TypeError` naming the backend when it was built for another contract version, or
 * declares capabilities core cannot work with.
 */
export function checkBackendContract(backend: StorageBackend): void {
  if (typeof backend !== 'object' || backend === null)
    throw new TypeError(
      `The given backend must be a StorageBackend object (createMemoryBackend(), createDynamoDbBackend(), …), not ${shownJson(backend)}`,
    );
  const declared = (backend as { contractVersion?: unknown }).contractVersion;
  const name = typeof backend?.name === 'string' ? `The ${backend.name}` : 'The given';
  if (declared === backendContractVersion) {
    const problem = capabilitiesProblem(backend.capabilities);
    if (problem) throw new TypeError(`${name} backend's ${problem}`);
    return;
  }
  throw new TypeError(
    declared === undefined
      ? `${name} backend declares no contractVersion: it was built for an older @macaron/core; this core implements backend contract ${backendContractVersion}`
      : `${name} backend implements backend contract ${String(declared)}, but this @macaron/core implements contract ${backendContractVersion}: install versions of core and the backend that agree`,
  );
}
