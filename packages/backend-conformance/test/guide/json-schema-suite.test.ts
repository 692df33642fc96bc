import { runJsonSchemaSuite } from '../../src/differential/index.js';
import { createMapHarness } from './map-harness.js';

// The authoring guide's runJsonSchemaSuite example, on the guide's map backend and the suite
// core vendors: the runner is this package's, and runs here too, not only in the backends'.
runJsonSchemaSuite('the JSON Schema Test Suite through the map backend', () => createMapHarness(), {
  suiteRoot: new URL('../../../core/test/fixtures/json-schema-test-suite/', import.meta.url),
});
