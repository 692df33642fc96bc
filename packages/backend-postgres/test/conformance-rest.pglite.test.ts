import { runConformanceOnPGlite } from './conformance-on-pglite.js';

// The conformance groups of the second half of the list (the first: conformance.pglite.test.ts).
runConformanceOnPGlite('second');
