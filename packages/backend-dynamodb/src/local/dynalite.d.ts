// dynalite ships no types: what this package calls of it is typed in start-local-dynamodb.ts.
declare module 'dynalite';
declare module 'dynalite/db/index.js';
