// Macaron from a snapshot of built packages (ab-snapshot.mjs), for A/B of two builds:
// MACARON_SNAPSHOT=<name> (in $MACARON_AB_DIR, default /tmp/macaron-ab). Same workload as macaron.mjs.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { macaronWorkload } from './macaron-workload.mjs';

const name = process.env.MACARON_SNAPSHOT;
if (!name) throw new Error('macaron-snapshot needs MACARON_SNAPSHOT=<name>');
const modules = join(process.env.MACARON_AB_DIR ?? '/tmp/macaron-ab', name, 'node_modules');
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const { loadApi } = await load('@macaron/core/dist/index.js');
const { createDynamoDbBackend } = await load('@macaron/backend-dynamodb/dist/index.js');

/** Macaron (the snapshot's build) doing the workload through the model API. */
export function createLibrary({ client, table }) {
  const label = `@macaron/core (snapshot ${name})`;
  return macaronWorkload({ loadApi, createDynamoDbBackend, client, table, label });
}
