// The timed operations of the library workload, shared by the workers and the profiler.
import { profile, profileKey, queryPages } from './workload.mjs';

/** The operations, each `(index, lane) => Promise`; a lane keeps its own query cursor. */
export function operations(library) {
  const writes = Array.from({ length: 1000 }, (_, index) => profile(`owner-w${index % 10}`, index));
  const keys = Array.from({ length: 1000 }, (_, index) =>
    profileKey(`owner-s${index % 10}`, index),
  );
  const batches = Array.from({ length: 40 }, (_, batch) =>
    Array.from({ length: 25 }, (_, index) => profile(`owner-b${batch}`, index)),
  );
  return {
    put: (index) => library.put(writes[index % writes.length]),
    get: (index) => library.get(keys[index % keys.length]),
    'update +1': (index) => library.increment(keys[index % keys.length]),
    'update +1 if exists': (index) => library.incrementExisting(keys[index % keys.length]),
    'load-modify-save': (index) => library.loadModifySave(keys[index % keys.length]),
    'query page of 100': async (_index, lane) => {
      if (!lane.cursor || (lane.pages ?? 0) >= queryPages) lane.pages = 0;
      const page = await library.queryPage('owner-q', lane.pages === 0 ? undefined : lane.cursor);
      lane.cursor = page.cursor;
      lane.pages += 1;
    },
    'scan page of 100': () => library.scanPage(),
    'batch write of 25': (index) => library.batchWrite(batches[index % batches.length]),
  };
}
