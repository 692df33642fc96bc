/**
 * Sample specs for the tests. `profilesSpec` is clean under redocly's recommended rules
 * and Macaron's; each line number a test checks is noted beside it.
 */
export const profilesSpec = `openapi: 3.0.3
info:
  title: profiles
  version: 1.0.0
  license: { name: MIT, url: https://opensource.org/licenses/MIT }
servers:
  - url: https://profiles.local.test
security:
  - bearerAuth: []
paths:
  /profiles/{profile_id}:
    get:
      operationId: getProfile
      summary: Get a profile.
      parameters:
        - { name: profile_id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: The profile.
          content: { application/json: { schema: { $ref: '#/components/schemas/Profile' } } }
        '404':
          description: No such profile.
          content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } }
  /streams/{stream}/events:
    get:
      operationId: listEvents
      summary: List the events of a stream.
      parameters:
        - { name: stream, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: The events.
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/Event' } }
        '404':
          description: No such stream.
          content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } }
  /legacy/{id}:
    get:
      operationId: getLegacy
      summary: A schema persisted in PyMacaron's form.
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: The item.
          content: { application/json: { schema: { $ref: '#/components/schemas/Legacy' } } }
        '404':
          description: No such item.
          content: { application/json: { schema: { $ref: '#/components/schemas/Cat' } } }
components:
  securitySchemes:
    bearerAuth: { type: http, scheme: bearer }
  schemas:
    Profile:
      type: object
      required: [profile_id, name, view_count]
      x-persist:
        table: profiles
        key: profile_id
        indexes:
          byEmail: { key: email }
          byCountry: { key: country, sort: age }
        ttl: expires_at
        version: revision
      properties:
        profile_id: { type: string }
        name: { type: string }
        email: { type: string, format: email }
        country: { type: string, enum: [fr, us, jp] }
        age: { type: integer }
        view_count: { type: integer }
        revision: { type: integer }
        big: { type: integer, format: int64 }
        photo: { type: string, format: binary, nullable: true }
        tags: { type: array, items: { type: string } }
        settings: { type: object, additionalProperties: { type: boolean } }
        expires_at: { type: integer }
        kind: { $ref: '#/components/schemas/Kind' }
    Kind:
      type: string
      enum: [person, robot]
    Event:
      type: object
      required: [stream, seq]
      x-persist: { table: events, key: stream, sort: seq }
      properties:
        stream: { type: string }
        seq: { type: integer }
        payload:
          oneOf:
            - { $ref: '#/components/schemas/Kind' }
            - { type: object, properties: { level: { type: number } } }
    Legacy:
      type: object
      required: [id]
      x-persist: myserver.db.PersistentLegacy
      properties:
        id: { type: string }
    Cat:
      allOf:
        - $ref: '#/components/schemas/Profile'
        - type: object
          properties:
            meow: { type: boolean }
    Error:
      type: object
      required: [error, status]
      properties:
        error: { type: string }
        status: { type: integer }
`;

/** A spec whose x-persist annotations are wrong; the comments give the reported lines. */
export const brokenPersistSpec = `openapi: 3.0.3
info:
  title: broken
  version: 1.0.0
  license: { name: MIT, url: https://opensource.org/licenses/MIT }
servers:
  - url: https://broken.local.test
security: []
paths: {}
components:
  schemas:
    Profile:
      type: object
      required: [name]
      x-persist:
        table: profiles
        key: profile_id
        indexes:
          byEmail: { key: mail }
      properties:
        profile_id: { type: string, nullable: true }
        name: { type: string }
`;
// Lines: 17 `key: profile_id` (not required, nullable), 19 `byEmail: { key: mail }` (no such property).

/** A persisted schema with what DynamoDB cannot store. */
export const unstorableSpec = `openapi: 3.0.3
info:
  title: unstorable
  version: 1.0.0
  license: { name: MIT, url: https://opensource.org/licenses/MIT }
servers:
  - url: https://unstorable.local.test
security: []
paths: {}
components:
  schemas:
    Measure:
      type: object
      required: [id]
      x-persist: { table: measures, key: id }
      properties:
        id: { type: string }
        count: { type: integer, maximum: 99999999999999999999 }
        level: { type: number, enum: [1, 1e200] }
`;
// Lines: 18 count (int64 warning), 19 level (storable error).

/** OpenAPI 3.1 forms: const, type lists with null, anyOf, nested arrays, maps, odd names. */
export const shapesSpec = `openapi: 3.1.0
info: { title: shapes, version: '1', license: { name: MIT, identifier: MIT } }
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [id, mode]
      x-persist: { table: things, key: id }
      properties:
        id: { type: integer }
        mode: { const: fixed }
        label: { type: [string, 'null'] }
        either: { anyOf: [{ type: string }, { type: integer, format: int64 }] }
        matrix: { type: array, items: { type: array, items: { type: number } } }
        free: {}
        mixed: { type: object, properties: { a: { type: string } }, additionalProperties: { type: integer } }
        closed: { type: object, additionalProperties: false }
        'odd-name': { type: boolean }
        shape: { oneOf: [{ $ref: '#/components/schemas/Shape' }, { type: 'null' }] }
    Shape:
      oneOf:
        - { $ref: '#/components/schemas/Circle' }
        - { $ref: '#/components/schemas/Square' }
      discriminator: { propertyName: kind }
    Circle: { type: object, required: [kind], properties: { kind: { type: string }, r: { type: number } } }
    Square: { type: object, required: [kind], properties: { kind: { type: string }, side: { type: number } } }
    Record: { type: object, properties: { at: { type: string, format: date-time } } }
    Tile:
      type: object
      required: [id]
      x-persist: { table: tiles, key: id }
      properties: { id: { type: string } }
      oneOf:
        - { $ref: '#/components/schemas/Circle' }
        - { $ref: '#/components/schemas/Square' }
`;
