// What this release stores and hands out, frozen: the tables `ensureTables` makes, the items a
// save writes, and the cursors a read returns. Services keep data and cursors across upgrades
// (and run two versions side by side during a rolling deploy), so each must stay readable by
// every later release. A failure here is a change to stored data or cursors, not to a test:
// keep these fixtures, read the old form beside any new one, and say so in the changeset.
import {
  type AttributeValue,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';
import { everyKind, releasedSpec } from './released-spec.js';

type Wire = Record<string, AttributeValue>;

const local = useLocalEngine();
const cursorKey = 'released-formats-cursor-key-0001';

async function released() {
  const { engine, rawClient } = local();
  const backend = createDynamoDbBackend({ client: engine.client });
  const api = await loadApi(releasedSpec, { backend, cursorKey });
  await backend.ensureTables(api.tables());
  const get = async (TableName: string, Key: Wire) =>
    (await rawClient.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;
  const put = (TableName: string, Item: Wire) =>
    rawClient.send(new PutItemCommand({ TableName, Item }));
  return { api, rawClient, get, put };
}

const s = (S: string) => ({ S });
const n = (N: string) => ({ N });
const noteWire: Wire = {
  owner: s('ann'),
  note_id: s('n-1'),
  tag: s('red'),
  rank: n('2.5'),
  title: s('Zoë \u0000 😀 \u202e'),
  count: n('-42'),
  huge: n('9223372036854775807'),
  ratio: n('0.1'),
  flag: { BOOL: false },
  nothing: { NULL: true },
  day: s('2026-12-06'),
  at: s('2026-12-06T10:00:00.123+01:00'),
  data: { B: new Uint8Array([0, 1, 254, 255]) },
  encoded: s('AP8='),
  words: { L: [s('b'), s('a'), s('b'), s('')] },
  matrix: { L: [{ L: [n('1'), n('2')] }, { L: [] }, { L: [n('3')] }] },
  place: { M: { city: s('Paris'), zip: n('75002') } },
  extra: { M: { 'a.b': s('dot'), '#x': s('hash'), ' ': s('space') } },
  revision: n('1'),
};
const noteJson = {
  owner: 'ann',
  note_id: 'n-1',
  tag: 'red',
  rank: 2.5,
  title: 'Zoë \u0000 😀 \u202e',
  count: -42,
  huge: '9223372036854775807',
  ratio: 0.1,
  flag: false,
  nothing: null,
  day: '2026-12-06',
  at: '2026-12-06T10:00:00.123+01:00',
  data: 'AAH+/w==',
  encoded: 'AP8=',
  words: ['b', 'a', 'b', ''],
  matrix: [[1, 2], [], [3]],
  place: { city: 'Paris', zip: 75002 },
  extra: { 'a.b': 'dot', '#x': 'hash', ' ': 'space' },
  revision: 1,
};

describe('tables, as this release makes them', () => {
  it('keeps their keys, attribute types, indexes and billing', async () => {
    const { rawClient } = await released();
    const layout = async (TableName: string) => {
      const { Table } = await rawClient.send(new DescribeTableCommand({ TableName }));
      return {
        keys: Table?.KeySchema,
        attributes: Table?.AttributeDefinitions,
        indexes: Table?.GlobalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }) => ({
          IndexName,
          KeySchema,
          Projection,
        })),
        localIndexes: Table?.LocalSecondaryIndexes,
        billing: Table?.BillingModeSummary?.BillingMode,
      };
    };
    const key = (hash: string, range: string) => [
      { AttributeName: hash, KeyType: 'HASH' },
      { AttributeName: range, KeyType: 'RANGE' },
    ];
    const attribute = (AttributeName: string, AttributeType: string) => ({
      AttributeName,
      AttributeType,
    });
    expect(await layout('released-notes')).toEqual({
      keys: key('owner', 'note_id'),
      attributes: [
        attribute('note_id', 'S'),
        attribute('owner', 'S'),
        attribute('rank', 'N'),
        attribute('tag', 'S'),
      ],
      indexes: [
        {
          IndexName: 'byTag',
          KeySchema: key('tag', 'rank'),
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      localIndexes: undefined,
      billing: 'PAY_PER_REQUEST',
    });
    expect(await layout('released-pets')).toMatchObject({
      keys: key('owner', 'name'),
      attributes: [attribute('name', 'S'), attribute('owner', 'S')],
      indexes: undefined,
    });
    expect(await layout('released-tiles')).toMatchObject({
      keys: key('layer', 'code'),
      attributes: [attribute('code', 'B'), attribute('layer', 'S')],
      indexes: undefined,
    });
  });
});

describe('items, as this release writes them', () => {
  it('stores every kind of value as the same attributes', async () => {
    const { api, get } = await released();
    await new (api.persistent('Note'))(everyKind as never).save();
    expect(await get('released-notes', { owner: s('ann'), note_id: s('n-1') })).toEqual(noteWire);
    await new (api.persistent('Cat'))({ owner: 'ann', name: 'tom', kind: 'Cat', lives: 9 }).save();
    expect(await get('released-pets', { owner: s('ann'), name: s('tom') })).toEqual({
      owner: s('ann'),
      name: s('tom'),
      kind: s('Cat'),
      lives: n('9'),
    });
    const code = new Uint8Array([1, 2, 3]);
    await new (api.persistent('Tile'))({ layer: 'l', code, label: 'x' }).save();
    expect(await get('released-tiles', { layer: s('l'), code: { B: code } })).toEqual({
      layer: s('l'),
      code: { B: code },
      label: s('x'),
    });
  });

  it('reads those attributes back as the same values, and writes them back unchanged', async () => {
    const { api, get, put } = await released();
    const key = { owner: s('ann'), note_id: s('w-1') };
    await put('released-notes', { ...noteWire, ...key });
    const note = await api.persistent('Note').load({ owner: 'ann', note_id: 'w-1' });
    expect(note.toJSON()).toEqual({ ...noteJson, note_id: 'w-1' });
    expect(note.huge).toBe(2n ** 63n - 1n);
    expect(note.data).toEqual(new Uint8Array([0, 1, 254, 255]));
    await note.save();
    expect(await get('released-notes', key)).toEqual({ ...noteWire, ...key, revision: n('2') });
    await put('released-pets', { owner: s('bob'), name: s('kit'), kind: s('Cat'), lives: n('3') });
    const pet = await api.persistent('Cat').load({ owner: 'bob', name: 'kit' });
    expect(pet.toJSON()).toEqual({ owner: 'bob', name: 'kit', kind: 'Cat', lives: 3 });
  });
});

// Made by this release with `cursorKey` above (the first byte is the cursor's format).
const long = '\u0001'.repeat(300);
const releasedCursors = {
  // Format 2: a query's, its key as JSON.
  query:
    'AsFLEgvlvq5-oeyRqaG1dqAWt1SxdyB1L3w3UrPo7VjcFOZwfQ8-FDGEX7t0xHHPs_RPHW2LxzwNOkHVRSx44k3XiX7-it9B',
  // Format 3: a query's, its key as bytes (its JSON would be over 512 bytes).
  longKeyQuery:
    'A6gV6tQECUmTSLzegOCppFwDfq6ZOTt6hiXQmQ4fznCufued5GIZprjP01R_uNK6cAnlGzILlMRb6QjwN-MEF8Db_GGQzi3l0Q1H2BL4QRJ3vycnGFFkByWBYG5QuvOtEyFbzQ6Jo-sE5z3CCKVf1Os9TlVmVaAzWNWitphXmxytHU7lLWqym5l2QqAhmroxbJBCHl8DTwov_sOD5P9w5k0pO_G4sZ5FIxUA8CoaXS_TLLlCX2pFBW7weEDS9wXxmLeQZglhr8xkETtXk9r1Aut-WdLcb7i0HUihyCwVgaMqKDJNFSMsK1ishHpeG6yoFMsl9wwtXQJ0Aoh-LurjiK79tfza1UnKnhAkswqHoE-DEzgsnCbg2ZACOY6icDUApZLyzCMqJ92NRIRxGWJr5_5ggE9BS_2nmPiurV509CI5kmYvMiU9cSSG7DL9GuNds0mCq1_wWm8Yd9beKSacLMEs9hcd-g',
  // Format 4: an index query's, bound to the index's keys.
  index:
    'BCu-nkXKsr2zUGRwCJoEDR_wZiTwa4nq0jyP_2Z4CZ_ZCSp1Lg3ZyhqMg3nyMOgVUrFg1Tbn8ObSEVhnzeyjyU5rFedKTAZaBu32papvWaRz8gvfpYBCrVOXU02CZfyIWiehFukRBb9LTgM',
  // Format 5: an index query's, its key as bytes.
  longKeyIndex:
    'BeGSC6nuVCQs_Pbx25Bx1CxKP1ls7bouHtdsgs12OGOyntKGwqVutkVp60zFLu4_nzaUXR8lMv_1nQo-arIwNYluSOFGjkw_eWtJTfdSRnIpjKotu5d-ZqXT56xSnZh6UbH7uuZPZy7ItImU4wXpRQRGCYqsfg6weVSNy1t35xptZAE88lLrRgVDrBs-7l95bSVtoixrfXkjwKuhkFSTZ9OMBy9wjvER7CxihN12pcRQRc1tLGn2huAqPw_Q_NrClSbvwztbOUHSWTlaj5fjgH5tiu8cWcbK1_kYdO0kCQzmSylS3tp8OESBVYhzg4nJbV6hJceq_kf7wI56DWRvhZ89W7_OQhpi3po8PkbOA0gceLwhE6dYn_V-0LWpPwoygwgX4amBxJhIr1mjtkeGnWAvIzrLuvFvCjzmtOIlMy5w10y4IXu2zzCd_rvQhE6k6ZpVpo7lwSlKD3nHzxQihfXO2D4HetGPB--d1hxzpg5Q7LEJzUnky2ONLhUbFDM',
  // Format 3: a scan's (its first item on this engine is the long key's).
  scan: 'A6jLtO86iOnvBq_T4_jca7mh66J-AQioSgJBT3F-GGNL_c6Xrst-gY2lv6ITVlHg6oIHLe4NRCGSoVqrUAIjufJLgWdMBIdBkUjFQ5QlQbWNWHhLe78xf4kBMjRs_VmeAivwSE2YRuuEbmQGs3oCR8DwczPqc8qn0rAxmZVQz_OzlscpSSy_1S2Tz-uhLzPW97EXttFL-NdFgOrTwsseEtbPd7bDacXVwJD5cHD_x6Hs_eP19S1UVkE2ERVHMoKUFlNBvFCMOpFbiJKPowBxkBSz6L203obvVfVbS32pWIYDpnkk1Me-LjiRT9suBo9qGEYHidle2rIiPOsalNFyukjxcrwWS1-6Br-e4Qv0yXaNr8AWdoz6_fkNmA_O3B1712t5dRkvbEPJLtiYkKHNXnVkD23C2W_of8v0g63DC9jwXVA3kTyTjnZ1X4WH-4Cb6jYH4LV7za_VZWV2ubvoD8sIKNVKyQ',
};

describe('cursors, as this release makes them', () => {
  it('open on this release and go on after the item they were made at', async () => {
    const { api, put } = await released();
    const Note = api.persistent('Note');
    const notes = [
      ['n-1', 'red', 1],
      ['n-2', 'red', 2],
      ['n-3', long, 3],
      ['n-4', long, 4],
      [long, 'blue', 5],
      [`${long}x`, 'blue', 6],
    ] as const;
    for (const [note_id, tag, rank] of notes)
      await put('released-notes', {
        ...noteWire,
        note_id: s(note_id),
        tag: s(tag),
        rank: n(`${rank}`),
      });
    const ids = (page: { items: Record<string, unknown>[] }) =>
      page.items.map((item) => item.note_id);
    const next = { limit: 1 };
    const query = { partition: 'ann', sort: { gte: 'n' } };
    expect(ids(await Note.query({ ...query, ...next, cursor: releasedCursors.query }))).toEqual([
      'n-2',
    ]);
    expect(
      ids(await Note.query({ partition: 'ann', ...next, cursor: releasedCursors.longKeyQuery })),
    ).toEqual([`${long}x`]);
    const byTag = { index: 'byTag', partition: 'red' };
    expect(ids(await Note.query({ ...byTag, ...next, cursor: releasedCursors.index }))).toEqual([
      'n-2',
    ]);
    const byLongTag = { index: 'byTag', partition: long };
    expect(
      ids(await Note.query({ ...byLongTag, ...next, cursor: releasedCursors.longKeyIndex })),
    ).toEqual(['n-4']);
    const all = ids(await Note.scan({ limit: 100 }));
    expect(all[0]).toBe(long);
    expect(ids(await Note.scan({ limit: 100, cursor: releasedCursors.scan }))).toEqual(
      all.slice(1),
    );
    // And this code still makes each of them, in its format, at the same item: a release that
    // makes another format (one earlier releases may not open) changes this test too.
    const made = async (page: Promise<{ cursor?: string | undefined }>) => {
      const cursor = (await page).cursor;
      return cursor === undefined ? undefined : Buffer.from(cursor, 'base64url')[0];
    };
    expect({
      query: await made(Note.query({ ...query, ...next })),
      longKeyQuery: await made(Note.query({ partition: 'ann', ...next })),
      index: await made(Note.query({ ...byTag, ...next })),
      longKeyIndex: await made(Note.query({ ...byLongTag, ...next })),
      scan: await made(Note.scan(next)),
    }).toEqual(
      Object.fromEntries(
        Object.entries(releasedCursors).map(([name, cursor]) => [
          name,
          Buffer.from(cursor, 'base64url')[0],
        ]),
      ),
    );
  });
});
