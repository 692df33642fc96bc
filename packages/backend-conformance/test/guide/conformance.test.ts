import { runBackendConformance } from '@macaron/backend-conformance';
import { createMapBackend } from './map-backend.js';
import { createMapHarness } from './map-harness.js';

// A fresh backend and harness for every test; close is optional (nothing to release here).
runBackendConformance('the guide’s map backend', () => createMapHarness(), {
  capabilities: createMapBackend().capabilities,
  contention: { writers: 16, cycles: 10 },
});
