import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';

// An unchanged PyMacaron spec: Swagger 2.0, no operationIds, x-persist in the string form with
// a key outside `required`, x-parent, a bearer token as an apiKey, plain integers.
const pymacaronSpec = `swagger: "2.0"
info:
  title: helloworld
  version: "0.0.1"
host: localhost
schemes: [http]
basePath: /v1
produces: [application/json]
securityDefinitions:
  Bearer: { type: apiKey, name: Authorization, in: header }
paths:
  /item/{item_id}:
    get:
      x-bind-server: helloworld.api.do_get_item
      x-decorate-server: pymacaron.auth.requires_auth
      parameters:
        - { in: path, name: item_id, type: string, required: true }
      responses:
        "200":
          description: The item.
          schema: { $ref: "#/definitions/Item" }
  /legacy:
    get:
      x-bind-server: helloworld.api.do_legacy
      x-decorate-server: helloworld.decorators.log_calls
      responses:
        "200": { description: Ok }
definitions:
  Item:
    type: object
    x-persist: helloworld.db.PersistentItem
    properties:
      item_id: { type: string }
      count: { type: integer }
  Error:
    type: object
    x-parent: pymacaron.exceptions.PyMacaronException
    properties:
      error: { type: string }
`;

const persist = { Item: { table: 'items', key: 'item_id' } };
const folder = temporaryFolder({
  'apis/hello.yaml': pymacaronSpec,
  'macaron.config.json': JSON.stringify({ compat: 'pymacaron', persist }),
  'strict/redocly.yaml': 'extends:\n  - recommended\nrules:\n  info-license: off\n',
  'strict/apis/hello.yaml': pymacaronSpec,
  'plain/apis/hello.yaml': pymacaronSpec,
});
afterAll(() => folder.remove());

describe('macaron lint on an unchanged PyMacaron spec', () => {
  it("passes with Macaron's rules alone (the default preset), warning of what is not implemented", async () => {
    const run = await runMacaron(['lint', 'apis/hello.yaml'], { cwd: folder.path });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^apis\/hello\.yaml:37:15 warning x-parent \(a parent class for the model\) is not implemented.*\(macaron\/pymacaron-extensions\)$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringContaining(
        'warning x-decorate-server "helloworld.decorators.log_calls" is not implemented by Macaron',
      ),
    );
    // A plain integer is no int64 warning: values beyond 2^53 are refused, never rounded.
    expect(run.stdout).not.toContain('macaron/int64');
    expect(lines.at(-1)).toBe('apis/hello.yaml: 0 errors, 2 warnings');
  });

  it("adds redocly's recommended rules with --preset recommended", async () => {
    const run = await runMacaron(['lint', 'apis/hello.yaml', '--preset', 'recommended'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('(operation-operationId)');
  });

  it("reads the project's redocly.yaml, or the one --config names", async () => {
    const here = await runMacaron(['lint', 'apis/hello.yaml'], { cwd: folder.file('strict') });
    expect(here.code).toBe(1);
    expect(here.stdout).toContain('(operation-operationId)');
    expect(here.stdout).not.toContain('(info-license)');
    // Macaron's rules are added to the project's.
    expect(here.stdout).toContain('(macaron/pymacaron-extensions)');
    const named = await runMacaron(
      ['lint', 'apis/hello.yaml', '--config', '../strict/redocly.yaml'],
      { cwd: folder.file('plain') },
    );
    expect([named.code, named.stdout.includes('(operation-operationId)')]).toEqual([1, true]);
    const both = await runMacaron(
      ['lint', 'apis/hello.yaml', '--config', 'redocly.yaml', '--preset', 'macaron'],
      { cwd: folder.file('strict') },
    );
    expect(both.code).toBe(2);
  });
});

describe('macaron.config.json: tables declared in code', () => {
  it('lets tables export see the tables of the string form of x-persist', async () => {
    const run = await runMacaron(['tables', 'export', 'apis/hello.yaml', '--format', 'json'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).tables).toEqual([
      expect.objectContaining({ TableName: 'items' }),
    ]);
    const without = await runMacaron(['tables', 'export', 'apis/hello.yaml', '--format', 'json'], {
      cwd: folder.file('plain'),
    });
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('no schema has a full x-persist annotation');
  });

  it('lets generate type them as persistent models', async () => {
    const run = await runMacaron(['generate', 'apis/hello.yaml', '-o', 'src/api.generated.ts'], {
      cwd: folder.path,
    });
    expect(run.stdout).toBe('wrote src/api.generated.ts (2 types, 1 persistent models)\n');
    const text = readFileSync(folder.file('src/api.generated.ts'), 'utf8');
    expect(text).toContain('`Item`, stored in table `items`.');
    expect(text).toContain("'helloworld.api.do_get_item': {");
  });

  it('takes another file with --macaron-config, and names a broken one', async () => {
    folder.write(
      'other.json',
      JSON.stringify({
        compat: 'pymacaron',
        persist: { Item: { ...persist.Item, table: 'other-items' } },
      }),
    );
    const run = await runMacaron(
      ['tables', 'export', 'apis/hello.yaml', '--macaron-config', 'other.json'],
      { cwd: folder.path },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('other-items');
    folder.write('bad.json', '{ "compat": "pymacron" }');
    const bad = await runMacaron(
      ['generate', 'apis/hello.yaml', '-o', 'x.ts', '--macaron-config', 'bad.json'],
      { cwd: folder.path },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('compat must be "pymacaron", not "pymacron"');
  });

  it('reads a macaron.config.json saved with a byte order mark or CRLF line ends (Windows editors), as spec files are read', async () => {
    const config = JSON.stringify(
      { compat: 'pymacaron', persist: { Item: { ...persist.Item, table: 'bom-items' } } },
      null,
      2,
    ).replace(/\n/g, '\r\n');
    folder.write('bom.json', `\ufeff${config}`);
    const run = await runMacaron(
      ['tables', 'export', 'apis/hello.yaml', '--macaron-config', 'bom.json'],
      { cwd: folder.path },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('bom-items');
  });

  it.each([
    ['UTF-16 LE', 'utf16le', false],
    ['UTF-16 BE', 'utf16be', false],
    ['UTF-16 LE with its byte order mark', 'utf16le', true],
  ] as const)(
    'reads a macaron.config.json saved in %s, as spec files are read',
    async (_, encoding, mark) => {
      const config = `${mark ? '\ufeff' : ''}${JSON.stringify({ compat: 'pymacaron', persist: { Item: { ...persist.Item, table: 'wide-items' } } }, null, 2)}\r\n`;
      const little = Buffer.from(config, 'utf16le');
      writeFileSync(
        folder.file(`wide-${encoding}.json`),
        encoding === 'utf16le' ? little : little.swap16(),
      );
      const run = await runMacaron(
        ['tables', 'export', 'apis/hello.yaml', '--macaron-config', `wide-${encoding}.json`],
        { cwd: folder.path },
      );
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain('wide-items');
    },
  );

  it('refuses a macaron.config.json with bytes that are not UTF-8, where they are, and a FIFO at once', async () => {
    writeFileSync(
      folder.file('latin1.json'),
      Buffer.concat([
        Buffer.from('{\n  "persist": { "Item": { "table": "caf'),
        Buffer.from([0xe9]),
        Buffer.from('", "key": "id" } }\n}\n'),
      ]),
    );
    const run = await runMacaron(
      ['tables', 'export', 'apis/hello.yaml', '--macaron-config', 'latin1.json'],
      { cwd: folder.path },
    );
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        'macaron: cannot read latin1.json: it is not valid UTF-8 at line 2, column 39 (byte 0xE9): save it in UTF-8\n',
    });
    if (process.platform === 'win32') return;
    // A FIFO no one writes to: refused, where the command waited for ever.
    execFileSync('mkfifo', [folder.file('fifo.json')]);
    const fifo = await runMacaron(
      ['tables', 'export', 'apis/hello.yaml', '--macaron-config', 'fifo.json'],
      { cwd: folder.path },
    );
    expect(fifo).toMatchObject({
      code: 1,
      stderr: 'macaron: cannot read fifo.json: it is a FIFO (named pipe), not a file\n',
    });
  });

  it('refuses a --macaron-config that is missing, or that holds a field it does not know or a persist list', async () => {
    const exportWith = (config: string) =>
      runMacaron(['tables', 'export', 'apis/hello.yaml', '--macaron-config', config], {
        cwd: folder.path,
      });
    // Named, the file must be there: not the spec read without it (no tables, or other ones).
    const missing = await exportWith('nope.json');
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe('macaron: cannot read nope.json: no such file\n');
    folder.write('typo.json', JSON.stringify({ compat: 'pymacaron', persits: persist }));
    const typo = await exportWith('typo.json');
    expect(typo).toMatchObject({ code: 1, stdout: '' });
    expect(typo.stderr).toContain(': unknown field persits (allowed: compat, persist)\n');
    folder.write('list.json', JSON.stringify({ compat: 'pymacaron', persist: [persist.Item] }));
    const list = await exportWith('list.json');
    expect(list).toMatchObject({ code: 1, stdout: '' });
    expect(list.stderr).toContain(': persist must map schema names to { table, key, … }\n');
  });
});

describe('one macaron.config.json for the specs of a project', () => {
  // PyMacaron's ping spec beside the service's: the config's persist names the service's schemas.
  const pingSpec = `swagger: "2.0"
info: { title: ping, version: "0.0.1" }
paths:
  /ping:
    get:
      x-bind-server: pymacaron.ping.do_ping
      responses:
        "200": { description: Pong, schema: { $ref: "#/definitions/Ok" } }
definitions:
  Ok: { type: object, properties: {} }
`;

  it('lints, compiles and generates a spec without the schemas persist names', async () => {
    folder.write('apis/ping.yaml', pingSpec);
    const lint = await runMacaron(['lint', 'apis/ping.yaml'], { cwd: folder.path });
    expect(lint).toMatchObject({ code: 0, stderr: '' });
    expect(lint.stdout).toBe('apis/ping.yaml: no problems\n');
    for (const command of [
      ['compile', 'apis/ping.yaml', '-o', 'ping.json'],
      ['generate', 'apis/ping.yaml', '-o', 'ping.generated.ts'],
    ]) {
      const run = await runMacaron(command, { cwd: folder.path });
      expect(run).toMatchObject({ code: 0, stderr: '' });
    }
  });
});

describe('macaron.config.json: tables declared in code, provisioned', () => {
  it('tables create (ensureTables) creates them on a real engine', async () => {
    const { startLocalDynamoDb } = await import('@macaron/backend-dynamodb/local');
    const engine = await startLocalDynamoDb();
    try {
      const run = await runMacaron(
        ['tables', 'create', 'apis/hello.yaml', '--endpoint', engine.endpoint],
        {
          cwd: folder.path,
        },
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/created.*items/);
    } finally {
      await engine.stop();
    }
  });
});

describe('macaron.config.json: a schema in PyMacaron form it leaves out', () => {
  // The config names `Orders`; the schema is `Order`: said by lint and by tables, not skipped.
  const shopSpec = `swagger: "2.0"
info: { title: shop, version: "0.0.1" }
paths: {}
definitions:
  User:
    type: object
    x-persist: shop.db.PersistentUser
    properties: { user_id: { type: string } }
  Order:
    type: object
    x-persist: shop.db.PersistentOrder
    properties: { order_id: { type: string } }
`;
  const shop = temporaryFolder({
    'apis/shop.yaml': shopSpec,
    'macaron.config.json': JSON.stringify({
      compat: 'pymacaron',
      persist: {
        User: { table: 'shop-users', key: 'user_id' },
        Orders: { table: 'shop-orders', key: 'order_id' },
      },
    }),
  });
  afterAll(() => shop.remove());
  const message =
    'Order is in PyMacaron\'s form (x-persist: shop.db.PersistentOrder) and the persist option (macaron.config.json) gives no { table, key } for it (it names "Orders", which this spec has no schema of): the tools leave its table out, and the application must give them to api.persistent("Order", { table, key })';

  it('lint warns at its x-persist', async () => {
    const run = await runMacaron(['lint', 'apis/shop.yaml'], { cwd: shop.path });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `apis/shop.yaml:11:16 warning ${message} (macaron/pymacaron-extensions)`,
    );
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('apis/shop.yaml: 0 errors, 1 warning');
  });

  it('tables export writes the tables it knows, and a note of the one it leaves out', async () => {
    const run = await runMacaron(['tables', 'export', 'apis/shop.yaml', '--format', 'json'], {
      cwd: shop.path,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).tables).toEqual([
      expect.objectContaining({ TableName: 'shop-users' }),
    ]);
    expect(run.stderr).toBe(`note: ${message}.\n`);
  });
});
