import { describe, expect, it } from 'vitest';
import { portTaken } from '../src/local/port-taken.js';

// PostgreSQL's own words on starting (LC_MESSAGES C), as src/backend/libpq/pqcomm.c and
// src/backend/utils/init/miscinit.c write them.
describe("PostgreSQL's output on starting", () => {
  it.each([
    'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
    // listen_addresses '*' or '0.0.0.0': every IPv4 address, 127.0.0.1 among them.
    'LOG:  could not bind IPv4 address "0.0.0.0": Address already in use',
    'LOG:  could not bind Unix address "/tmp/macaron-postgres-x/.s.PGSQL.25432": Address already in use',
    'FATAL:  lock file "/tmp/macaron-postgres-x/.s.PGSQL.25432.lock" already exists',
  ])('says the port is taken: %s', (line) => {
    expect(portTaken(`2026-12-07 10:00:00.000 UTC [42] ${line}\n`)).toBe(true);
  });

  it.each([
    // Another address of several: the server starts on 127.0.0.1 all the same.
    'LOG:  could not bind IPv6 address "::1": Address already in use',
    'LOG:  could not bind IPv4 address "10.0.0.5": Address already in use',
    'FATAL:  lock file "postmaster.pid" already exists',
    'LOG:  database system is ready to accept connections',
  ])('does not say so otherwise: %s', (line) => {
    expect(portTaken(`2026-12-07 10:00:00.000 UTC [42] ${line}\n`)).toBe(false);
  });
});
