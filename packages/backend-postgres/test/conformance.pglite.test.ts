import { runConformanceOnPGlite } from './conformance-on-pglite.js';

// The conformance groups of the first half of the list (the second: conformance-rest.pglite.test.ts).
runConformanceOnPGlite('first');
