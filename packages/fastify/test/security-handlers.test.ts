import { loadApi, MacaronError, SpecError } from '@macaron/core';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { OperationHandlers, SecurityContext, SecurityHandler } from '../src/index.js';
import { call, serve } from './serve.js';

const auth = { secret: 'security-handlers-secret-of-32-bytes', issuer: 'me', audience: 'app' };

class ApiKeyRefusedError extends MacaronError {
  static override code = 'API_KEY_REFUSED';
  static override status = 401;
}

const ok = (schema: unknown = {}) => ({
  '200': { description: 'ok', content: { 'application/json': { schema } } },
});

// Every way an operation's security can name a scheme other than a bearer token.
const spec = {
  openapi: '3.0.3',
  info: { title: 'security', version: '1' },
  security: [{ apiKey: [] }],
  paths: {
    '/key': { get: { operationId: 'key', responses: ok() } },
    '/either': {
      get: { operationId: 'either', security: [{ bearer: [] }, { apiKey: [] }], responses: ok() },
    },
    '/both': {
      get: {
        operationId: 'both',
        security: [{ bearer: [], oauth: ['read', 'write'] }],
        responses: ok(),
      },
    },
    '/open': { get: { operationId: 'open', security: [], responses: ok() } },
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      oauth: {
        type: 'oauth2',
        flows: {
          clientCredentials: {
            tokenUrl: 'https://example.com/token',
            scopes: { read: 'read', write: 'write' },
          },
        },
      },
    },
  },
};

const handlers: OperationHandlers = {
  key: () => ({ via: 'key' }),
  either: ({ auth: claims }) => ({ sub: claims?.sub ?? null }),
  both: ({ auth: claims }) => ({ sub: claims?.sub ?? null }),
  open: () => ({}),
};

const token = (subject = 'u1', claims: Record<string, unknown> = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setSubject(subject)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(auth.secret));

const apiKey = ({ request }: SecurityContext) => {
  if (request.headers['x-api-key'] !== 'k-123') throw new ApiKeyRefusedError('Wrong API key');
};

async function startUpError(options: Parameters<typeof serve>[0]): Promise<Error> {
  const error = await serve(options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TypeError);
  return error as Error;
}

describe('security schemes other than bearer tokens', () => {
  it('does not start when a served operation names a scheme securityHandlers does not check', async () => {
    const api = await loadApi(spec);
    const error = await startUpError({ api, auth, handlers, securityHandlers: { apiKey } });
    expect(error.message).toContain('GET /both: security scheme oauth');
    expect(error.message).not.toContain('apiKey');
    const none = await startUpError({ api, auth, handlers });
    for (const line of [
      'GET /key: security scheme apiKey',
      'GET /either: security scheme apiKey',
      'GET /both: security scheme oauth',
    ])
      expect(none.message).toContain(line);
    expect(none.message).not.toContain('/open');
  });

  it('says so when the scheme a served operation names is one the spec does not declare', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'ghost', version: '1' },
      paths: {
        '/ghost': {
          get: {
            operationId: 'ghost',
            security: [{ ghost: [] }],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    });
    const error = await startUpError({ api, handlers: { ghost: () => ({}) } });
    expect(error.message).toContain(
      'GET /ghost: security scheme ghost, which the spec does not declare',
    );
  });

  it('admits a request by the first alternative it satisfies, and answers the first refusal', async () => {
    const calls: Omit<SecurityContext, 'request' | 'reply'>[] = [];
    const oauth = ({ request, reply: _reply, ...context }: SecurityContext) => {
      calls.push(context);
      if (request.headers['x-scope'] !== 'rw') throw new ApiKeyRefusedError('No scope');
    };
    const { url } = await serve({
      api: await loadApi(spec),
      auth,
      handlers,
      securityHandlers: { apiKey, oauth },
    });
    const key = { 'x-api-key': 'k-123' };
    const bearer = { authorization: `Bearer ${await token()}` };

    expect((await call(`${url}/key`, { headers: key })).json).toEqual({ via: 'key' });
    const wrongKey = await call(`${url}/key`, { headers: { 'x-api-key': 'nope' } });
    expect([wrongKey.status, wrongKey.json.error]).toEqual([401, 'API_KEY_REFUSED']);
    expect((await call(`${url}/open`)).status).toBe(200);

    // Either a token or a key; with neither, the first alternative (the token) answers.
    expect((await call(`${url}/either`, { headers: bearer })).json).toEqual({ sub: 'u1' });
    expect((await call(`${url}/either`, { headers: key })).json).toEqual({ sub: null });
    const neither = await call(`${url}/either`);
    expect([neither.status, neither.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
    // A token given and refused answers so, even beside a good key.
    const forged = await call(`${url}/either`, {
      headers: { authorization: `Bearer ${await token()}x`, ...key },
    });
    expect([forged.status, forged.json.error]).toEqual([401, 'TOKEN_INVALID']);

    // Both a token and the OAuth check, which sees the claims and its scopes.
    const both = await call(`${url}/both`, { headers: { ...bearer, 'x-scope': 'rw' } });
    expect([both.status, both.json]).toEqual([200, { sub: 'u1' }]);
    expect(calls).toEqual([
      {
        operation: 'both',
        scheme: 'oauth',
        scopes: ['read', 'write'],
        auth: expect.objectContaining({ sub: 'u1' }),
      },
    ]);
    const noScope = await call(`${url}/both`, { headers: bearer });
    expect([noScope.status, noScope.json.error]).toEqual([401, 'API_KEY_REFUSED']);
    const noToken = await call(`${url}/both`, { headers: { 'x-scope': 'rw' } });
    expect([noToken.status, noToken.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
    expect(calls).toHaveLength(2);
  });

  it('ends the request when a security handler sends the reply, before the body is read', async () => {
    let handled = 0;
    const api = await loadApi({
      ...spec,
      paths: {
        '/key': {
          post: {
            operationId: 'key',
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { type: 'object', required: ['a'] } } },
            },
            responses: ok(),
          },
        },
      },
    });
    const { url } = await serve({
      api,
      handlers: {
        key: () => {
          handled += 1;
          return {};
        },
      },
      securityHandlers: {
        apiKey: ({ reply }) => {
          reply.code(429).send({ error: 'SLOW_DOWN' });
        },
      },
    });
    const answered = await call(`${url}/key`, { method: 'POST', body: 'not json' });
    expect([answered.status, answered.json, handled]).toEqual([429, { error: 'SLOW_DOWN' }, 0]);
  });

  it("takes PyMacaron's Authorization apiKey as the token of requires_auth, and checks it nowhere else", async () => {
    const pymacaron = {
      swagger: '2.0',
      info: { title: 'pym', version: '1' },
      produces: ['application/json'],
      securityDefinitions: { Bearer: { type: 'apiKey', name: 'Authorization', in: 'header' } },
      paths: {
        '/me': {
          get: {
            'x-bind-server': 'app.me',
            'x-decorate-server': 'pymacaron.auth.requires_auth',
            security: [{ Bearer: [] }],
            responses: { '200': { description: 'ok', schema: { type: 'object' } } },
          },
        },
        '/other': {
          get: {
            'x-bind-server': 'app.other',
            security: [{ Bearer: [] }],
            responses: { '200': { description: 'ok', schema: { type: 'object' } } },
          },
        },
      },
    };
    const api = await loadApi(pymacaron);
    const pymHandlers = { 'app.me': () => ({}), 'app.other': () => ({}) };
    const error = await startUpError({ api, auth, handlers: pymHandlers, compat: 'pymacaron' });
    expect(error.message).toContain('GET /other: security scheme Bearer');
    expect(error.message).not.toContain('/me');
    const { url } = await serve({
      api,
      auth,
      handlers: pymHandlers,
      compat: 'pymacaron',
      securityHandlers: { Bearer: () => undefined },
    });
    const missing = await call(`${url}/me`);
    expect([missing.status, missing.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
    const signed = await call(`${url}/me`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(signed.status).toBe(200);
    expect((await call(`${url}/other`)).status).toBe(200);
  });

  it('never reads an API key of the query or a cookie as a property of an object parameter that takes any name', async () => {
    const anyText = { type: 'object', additionalProperties: { type: 'string' } };
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'keys', version: '1' },
      components: {
        securitySchemes: {
          queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
          cookieKey: { type: 'apiKey', in: 'cookie', name: 'session' },
        },
      },
      paths: {
        '/search': {
          get: {
            operationId: 'search',
            security: [{ queryKey: [] }, { cookieKey: [] }],
            parameters: [
              { name: 'filters', in: 'query', schema: anyText },
              { name: 'prefs', in: 'cookie', schema: anyText },
            ],
            responses: { '200': ok({ type: 'object' }) },
          },
        },
      },
    });
    const secret = 'SECRET-KEY';
    const admitted = ({ request }: SecurityContext) => {
      const query = request.query as Record<string, unknown>;
      const cookie = request.headers.cookie ?? '';
      if (query.api_key !== secret && !cookie.includes(`session=${secret}`))
        throw new MacaronError('no key');
    };
    const { url } = await serve({
      api,
      handlers: { search: ({ query, cookies }) => ({ query, cookies }) },
      securityHandlers: { queryKey: admitted, cookieKey: admitted },
    });
    const byQuery = await call(`${url}/search?api_key=${secret}&color=red`, {
      headers: { cookie: 'theme=dark' },
    });
    expect([byQuery.status, byQuery.json]).toEqual([
      200,
      { query: { filters: { color: 'red' } }, cookies: { prefs: { theme: 'dark' } } },
    ]);
    const byCookie = await call(`${url}/search?color=red`, {
      headers: { cookie: `session=${secret}; theme=dark` },
    });
    expect([byCookie.status, JSON.stringify(byCookie.json).includes(secret)]).toEqual([200, false]);
  });

  it("hides the API key of the query from the error hooks' url: they never get a credential", async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'keys', version: '1' },
      components: {
        securitySchemes: { queryKey: { type: 'apiKey', in: 'query', name: 'api key' } },
      },
      paths: {
        '/search': {
          get: {
            operationId: 'search',
            security: [{ queryKey: [] }],
            parameters: [{ name: 'color', in: 'query', schema: { type: 'string' } }],
            responses: { '200': ok({ type: 'object' }) },
          },
        },
        '/open': { get: { operationId: 'open', security: [], responses: ok() } },
      },
    });
    const secret = 'SECRET-KEY';
    const urls: string[] = [];
    const { url } = await serve({
      api,
      handlers: {
        search: () => {
          throw new ApiKeyRefusedError('refused by the handler');
        },
        open: () => {
          throw new Error('down');
        },
      },
      securityHandlers: {
        queryKey: ({ request }) => {
          if ((request.query as Record<string, unknown>)['api key'] !== secret)
            throw new ApiKeyRefusedError('no key');
        },
      },
      onError: (_error, info) => {
        urls.push(info.url);
      },
    });
    // Refused by the security handler, by the handler, and on another operation (500); the
    // name as the query spells it, encoded or not.
    await call(`${url}/search?color=red&api+key=wrong`);
    await call(`${url}/search?api%20key=${secret}&color=red`);
    await call(`${url}/open?api+key=${secret}&api+key=${secret}`);
    expect(urls).toEqual([
      '/search?color=red&api+key=***',
      '/search?api%20key=***&color=red',
      '/open?api+key=***&api+key=***',
    ]);
  });

  it('refuses to serve a security it cannot read as requirements, where it is written', async () => {
    const api = await loadApi({
      ...spec,
      security: ['apiKey'],
      paths: {
        '/a': { get: { operationId: 'a', responses: ok() } },
        '/b': { get: { operationId: 'b', responses: ok() } },
        '/c': { get: { operationId: 'c', security: [{ apiKey: 'x' }], responses: ok() } },
        '/d': { get: { operationId: 'd', security: [{ apiKey: [] }], responses: ok() } },
      },
    });
    const error = await serve({
      api,
      handlers: { a: () => ({}), b: () => ({}), c: () => ({}), d: () => ({}) },
      securityHandlers: { apiKey },
    }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map(({ pointer }) => pointer)).toEqual([
      '/security',
      '/paths/~1c/get/security',
    ]);
  });

  it('never takes a value a handler returns (false included) for an admission', async () => {
    const { url } = await serve({
      api: await loadApi(spec),
      auth,
      handlers,
      securityHandlers: {
        apiKey: (({ request }: SecurityContext) =>
          request.headers['x-api-key'] === 'k-123') as unknown as SecurityHandler,
        oauth: () => undefined,
      },
    });
    for (const key of ['k-123', 'nope']) {
      const answered = await call(`${url}/key`, { headers: { 'x-api-key': key } });
      expect([answered.status, answered.json.error]).toEqual([500, 'SERVER_ERROR']);
    }
    // Beside a token, the token's alternative answers.
    const either = await call(`${url}/either`, { headers: { 'x-api-key': 'k-123' } });
    expect([either.status, either.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
  });

  it('refuses a bearer token given and refused whatever alternative comes first, and tries the others for another scheme', async () => {
    class BasicRefusedError extends MacaronError {
      static override code = 'BASIC_REFUSED';
      static override status = 401;
    }
    const api = await loadApi({
      ...spec,
      paths: {
        '/key-first': {
          get: {
            operationId: 'keyFirst',
            security: [{ apiKey: [] }, { bearer: [] }],
            responses: ok(),
          },
        },
        '/open-first': {
          get: {
            operationId: 'openFirst',
            security: [{}, { apiKey: [] }, { bearer: [] }],
            responses: ok(),
          },
        },
        '/bearer-first': {
          get: {
            operationId: 'bearerFirst',
            security: [{ bearer: [] }, { basic: [] }],
            responses: ok(),
          },
        },
      },
      components: {
        securitySchemes: {
          ...spec.components.securitySchemes,
          basic: { type: 'http', scheme: 'basic' },
        },
      },
    });
    const whoever = ({ auth: claims }: { auth?: { sub?: unknown } }) => ({
      sub: claims?.sub ?? null,
    });
    const { url } = await serve({
      api,
      auth,
      handlers: { keyFirst: whoever, openFirst: whoever, bearerFirst: whoever },
      securityHandlers: {
        apiKey,
        basic: ({ request }: SecurityContext) => {
          if (request.headers.authorization !== 'Basic dTpw') throw new BasicRefusedError('No');
        },
      },
    });
    const forged = `Bearer ${await token()}x`;
    // A forged token beside a good key, or where {} comes first: refused, as the README says.
    for (const [path, headers] of [
      ['/key-first', { authorization: forged, 'x-api-key': 'k-123' }],
      ['/open-first', { authorization: forged }],
    ] as const) {
      const response = await call(`${url}${path}`, { headers });
      expect([path, response.status, response.json.error]).toEqual([path, 401, 'TOKEN_INVALID']);
    }
    // A good token is verified and given to the handler, whichever alternative admits.
    const good = { authorization: `Bearer ${await token()}` };
    expect((await call(`${url}/open-first`, { headers: good })).json).toEqual({ sub: 'u1' });
    expect(
      (await call(`${url}/key-first`, { headers: { ...good, 'x-api-key': 'k-123' } })).json,
    ).toEqual({ sub: 'u1' });
    expect((await call(`${url}/key-first`, { headers: { 'x-api-key': 'k-123' } })).json).toEqual({
      sub: null,
    });
    // Another scheme's Authorization header is no bearer token: the next alternative is tried.
    const basic = await call(`${url}/bearer-first`, { headers: { authorization: 'Basic dTpw' } });
    expect([basic.status, basic.json]).toEqual([200, { sub: null }]);
    const wrongBasic = await call(`${url}/bearer-first`, {
      headers: { authorization: 'Basic bm8=' },
    });
    expect([wrongBasic.status, wrongBasic.json.error]).toEqual([401, 'TOKEN_INVALID']);
    const forgedFirst = await call(`${url}/bearer-first`, { headers: { authorization: forged } });
    expect([forgedFirst.status, forgedFirst.json.error]).toEqual([401, 'TOKEN_INVALID']);
  });

  it("takes another scheme's Authorization header for no token where a token is optional and no other scheme is named", async () => {
    const api = await loadApi({
      ...spec,
      paths: {
        '/optional': {
          get: { operationId: 'optional', security: [{}, { bearer: [] }], responses: ok() },
        },
      },
    });
    const whoever = ({ auth: claims }: { auth?: { sub?: unknown } }) => ({
      sub: claims?.sub ?? null,
    });
    const { url } = await serve({ api, auth, handlers: { optional: whoever } });
    // As beside other schemes (`[{}, { apiKey: [] }, { bearer: [] }]` admits it): {} admits it.
    const basic = await call(`${url}/optional`, { headers: { authorization: 'Basic dTpw' } });
    expect([basic.status, basic.json]).toEqual([200, { sub: null }]);
    // A bearer header still is one: malformed or forged, refused.
    for (const authorization of ['Bearer', `Bearer ${await token()}x`, 'bearer !']) {
      const refused = await call(`${url}/optional`, { headers: { authorization } });
      expect([authorization, refused.status, refused.json.error]).toEqual([
        authorization,
        401,
        'TOKEN_INVALID',
      ]);
    }
    const good = await call(`${url}/optional`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(good.json).toEqual({ sub: 'u1' });
  });
});

describe('a bearer scheme that lists roles (OpenAPI 3.1)', () => {
  const roleToken = (role: string) => token('u1', { role });
  const rolesSpec = {
    openapi: '3.1.0',
    info: { title: 'roles', version: '1' },
    paths: {
      '/admin': {
        get: {
          operationId: 'admin',
          security: [{ jwt: ['admin'] }],
          responses: { '200': { description: 'ok' } },
        },
      },
      '/mixed': {
        get: {
          operationId: 'mixed',
          security: [{ jwt: ['admin'] }, { apiKey: [] }],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    components: {
      securitySchemes: {
        jwt: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
    },
  };
  const roleHandlers: OperationHandlers = { admin: () => ({}), mixed: () => ({}) };

  it('does not start unless securityHandlers checks the roles: the token alone would admit any role', async () => {
    const api = await loadApi(rolesSpec);
    const error = await startUpError({
      api,
      auth,
      handlers: roleHandlers,
      securityHandlers: { apiKey },
    });
    expect(error.message).toContain('GET /admin: security scheme jwt with roles admin');
    expect(error.message).toContain('GET /mixed: security scheme jwt with roles admin');
  });

  it("hands the roles and the verified claims to the scheme's handler, after the token is verified", async () => {
    const api = await loadApi(rolesSpec);
    const seen: SecurityContext[] = [];
    const jwt: SecurityHandler = (context) => {
      seen.push(context);
      if (!context.scopes.includes(String(context.auth?.role)))
        throw new ApiKeyRefusedError('Missing role');
    };
    const served = await serve({
      api,
      auth,
      handlers: roleHandlers,
      securityHandlers: { apiKey, jwt },
    });
    for (const path of ['/admin', '/mixed']) {
      const admin = { authorization: `Bearer ${await roleToken('admin')}` };
      expect((await call(`${served.url}${path}`, { headers: admin })).status, path).toBe(200);
      const user = { authorization: `Bearer ${await roleToken('user')}` };
      expect((await call(`${served.url}${path}`, { headers: user })).status, path).toBe(401);
      const forged = { authorization: `Bearer ${await roleToken('admin')}x` };
      expect((await call(`${served.url}${path}`, { headers: forged })).status, path).toBe(401);
      expect((await call(`${served.url}${path}`)).status, path).toBe(401);
    }
    // Only for verified tokens, with their claims and the requirement's roles.
    expect(seen.map(({ scopes, auth: claims }) => [scopes, claims?.role])).toEqual([
      [['admin'], 'admin'],
      [['admin'], 'user'],
      [['admin'], 'admin'],
      [['admin'], 'user'],
    ]);
    expect((await call(`${served.url}/mixed`, { headers: { 'x-api-key': 'k-123' } })).status).toBe(
      200,
    );
  });
});

describe("roles on PyMacaron's Authorization apiKey, the token of requires_auth", () => {
  const roleToken = (role: string) => token('u1', { role });
  // OpenAPI 3.1 lets any scheme list roles; PyMacaron's apiKey in the Authorization header
  // stands for the bearer token there, so its roles are that token's.
  const rolesSpec = {
    openapi: '3.1.0',
    info: { title: 'pym roles', version: '1' },
    components: {
      securitySchemes: { Bearer: { type: 'apiKey', in: 'header', name: 'Authorization' } },
    },
    paths: {
      '/admin': {
        get: {
          'x-bind-server': 'app.admin',
          'x-decorate-server': 'pymacaron.auth.requires_auth',
          security: [{ Bearer: ['admin'] }],
          responses: { '200': { description: 'ok' } },
        },
      },
      '/me': {
        get: {
          'x-bind-server': 'app.me',
          'x-decorate-server': 'pymacaron.auth.requires_auth',
          security: [{ Bearer: [] }],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  };
  const pymHandlers = { 'app.admin': () => ({}), 'app.me': () => ({}) };

  it('does not start unless securityHandlers checks them, and checks them once the token is verified', async () => {
    const api = await loadApi(rolesSpec);
    const error = await startUpError({ api, auth, handlers: pymHandlers, compat: 'pymacaron' });
    expect(error.message).toContain('GET /admin: security scheme Bearer with roles admin');
    expect(error.message).not.toContain('/me');
    const seen: unknown[] = [];
    const { url } = await serve({
      api,
      auth,
      handlers: pymHandlers,
      compat: 'pymacaron',
      securityHandlers: {
        Bearer: ({ scopes, auth: claims }) => {
          seen.push([scopes, claims?.role]);
          if (!scopes.includes(String(claims?.role))) throw new ApiKeyRefusedError('Missing role');
        },
      },
    });
    const user = { authorization: `Bearer ${await roleToken('user')}` };
    const admin = { authorization: `Bearer ${await roleToken('admin')}` };
    expect((await call(`${url}/admin`, { headers: user })).status).toBe(401);
    expect((await call(`${url}/admin`, { headers: admin })).status).toBe(200);
    expect((await call(`${url}/admin`)).json.error).toBe('AUTHORIZATION_HEADER_MISSING');
    // Without roles, the token alone decides, as before: the handler is not called.
    expect((await call(`${url}/me`, { headers: user })).status).toBe(200);
    expect(seen).toEqual([
      [['admin'], 'user'],
      [['admin'], 'admin'],
    ]);
  });
});
