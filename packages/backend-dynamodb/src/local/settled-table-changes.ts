import type { Server, ServerResponse } from 'node:http';
import { beforeRequests } from './before-requests.js';

/** How long dynalite keeps a table CREATING, DELETING and UPDATING, in milliseconds. */
export interface TableChangeDelays {
  readonly createTableMs: number;
  readonly deleteTableMs: number;
  readonly updateTableMs: number;
}

/**
 * Holds dynalite's answer to a CreateTable, DeleteTable or UpdateTable whose delay is 0 until
 * the change is done. dynalite answers at once and changes the table's status in a timer of
 * that delay started just before (CREATING to ACTIVE, DELETING to gone, UPDATING to ACTIVE): a
 * request sent on the answer could still find the table CREATING (a PutItem then is
 * ResourceNotFoundException: 7 of 300 on an idle host) or DELETING (a CreateTable of its name,
 * ResourceInUseException), where a delay of 0 promises the change at once. A timer of the same
 * delay started after dynalite's runs after it; the turn of the event loop after that lets the
 * status write it started (in memory) end.
 */
export function settleTableChanges(server: Server, delays: TableChangeDelays): void {
  const held = new Set<string>();
  if (delays.createTableMs === 0) held.add('CreateTable');
  if (delays.deleteTableMs === 0) held.add('DeleteTable');
  if (delays.updateTableMs === 0) held.add('UpdateTable');
  beforeRequests(server, (request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (held.has(target.slice(target.lastIndexOf('.') + 1))) {
      const end = response.end as (...values: unknown[]) => ServerResponse;
      response.end = function heldEnd(this: ServerResponse, ...values: unknown[]) {
        // An answer that refused the change started no timer.
        if (this.statusCode !== 200) return end.apply(this, values);
        setTimeout(() => setImmediate(() => end.apply(this, values)), 0);
        return this;
      } as ServerResponse['end'];
    }
  });
}
