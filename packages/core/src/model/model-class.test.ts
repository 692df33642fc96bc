import { describe, expect, it } from 'vitest';
import { openapi31, problemKeys, thrown } from '../../test/support/specs.js';
import { MacaronError } from '../errors/macaron-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';

interface AddressShape {
  city?: string;
  zip?: string;
}

interface ProfileShape {
  profile_id: string;
  name: string;
  nickname?: string | null;
  bio?: string | null;
  view_count?: number;
  big_id?: number | bigint;
  count?: number | bigint;
  avatar?: Uint8Array;
  photos?: Uint8Array[];
  tags?: string[];
  address?: AddressShape;
  data?: unknown;
}

const api = await loadApi(
  openapi31({
    Profile: {
      type: 'object',
      required: ['profile_id', 'name'],
      properties: {
        profile_id: { type: 'string' },
        name: { type: 'string', minLength: 1 },
        nickname: { type: ['string', 'null'] },
        bio: { type: 'string' },
        view_count: { type: 'integer', minimum: 0 },
        big_id: { type: 'integer', format: 'int64' },
        count: { type: 'integer' },
        avatar: { type: 'string', format: 'binary' },
        photos: { type: 'array', items: { type: 'string', format: 'binary' } },
        tags: { type: 'array', items: { type: 'string' } },
        address: { $ref: '#/components/schemas/Address' },
        data: {},
      },
    },
    Address: {
      type: 'object',
      properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
    },
  }),
);
const Profile = api.model<ProfileShape>('Profile');
const Address = api.model<AddressShape>('Address');

describe('new Model(data)', () => {
  it('[P-74] copies the data: no nested array, object or bytes is shared', () => {
    const data = {
      profile_id: 'p',
      name: 'Ada',
      tags: ['a'],
      address: { city: 'Paris' },
      avatar: new Uint8Array([1, 2]),
    };
    const profile = new Profile(data);
    data.tags.push('b');
    data.address.city = 'Lyon';
    data.avatar[0] = 9;
    expect(profile.tags).toEqual(['a']);
    expect(profile.address).toEqual({ city: 'Paris' });
    expect(profile.avatar).toEqual(new Uint8Array([1, 2]));
    profile.tags!.push('c');
    expect(data.tags).toEqual(['a', 'b']);
  });

  it('builds an empty object without data', () => {
    const profile = new Profile();
    expect(profile.toJSON()).toEqual({});
    expect(problemKeys(profile.validate())).toEqual([
      { pointer: '/name', keyword: 'required' },
      { pointer: '/profile_id', keyword: 'required' },
    ]);
  });

  it('does not validate, so invalid objects can be built and fixed', () => {
    const profile = new Profile({ profile_id: 'p', name: '' });
    expect(problemKeys(profile.validate())).toEqual([{ pointer: '/name', keyword: 'minLength' }]);
    profile.name = 'Ada';
    expect(profile.validate()).toEqual([]);
  });

  it('throws ValidationError for data that is not an object', () => {
    const error = thrown(() => new Profile(['p'] as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '', keyword: 'type' },
    ]);
  });

  it('takes nested model objects as plain values', () => {
    const profile = new Profile({
      profile_id: 'p',
      name: 'Ada',
      address: new Address({ city: 'Paris' }),
    });
    expect(profile.validate()).toEqual([]);
    expect(profile.toJSON()).toEqual({ profile_id: 'p', name: 'Ada', address: { city: 'Paris' } });
  });

  it('refuses a Date rather than keeping it as an empty object', () => {
    const profile = new Profile({ profile_id: 'p', name: 'Ada', data: new Date(0) });
    expect(problemKeys(profile.validate())).toEqual([{ pointer: '/data', keyword: 'type' }]);
  });
});

describe('Model class', () => {
  it('carries its name and schema', () => {
    expect(Profile.modelName).toBe('Profile');
    expect(Profile.name).toBe('Profile');
    expect(Profile.schema).toBe(api.schema('Profile'));
  });

  it('validates a value statically', () => {
    expect(Profile.validate({ profile_id: 'p', name: 'Ada' })).toEqual([]);
    expect(problemKeys(Profile.validate({ profile_id: 1, name: 'Ada' }))).toEqual([
      { pointer: '/profile_id', keyword: 'type' },
    ]);
  });
});

describe('fromJSON', () => {
  it('reads decimal strings as int64 bigints only where the schema takes no string', async () => {
    const { model } = await loadApi({
      openapi: '3.1.0',
      info: { title: 'strings', version: '1' },
      paths: {},
      components: {
        schemas: {
          Code: {
            type: 'object',
            properties: {
              either: { type: ['string', 'integer'], format: 'int64', pattern: '^0' },
              big: { type: 'integer', format: 'int64' },
            },
          },
        },
      },
    });
    const code = model('Code').fromJSON({
      either: '0123',
      big: '1234567890123456789',
    }) as unknown as {
      either: unknown;
      big: unknown;
    };
    expect(code.either).toBe('0123');
    expect(code.big).toBe(1234567890123456789n);
  });

  it('builds a validated instance', () => {
    const profile = Profile.fromJSON({ profile_id: 'p', name: 'Ada', view_count: 2 });
    expect(profile).toBeInstanceOf(Profile);
    expect(profile.view_count).toBe(2);
  });

  it('[P-82] throws ValidationError listing every problem with its pointer', () => {
    const error = thrown(() =>
      Profile.fromJSON({ name: '', view_count: -1, address: { zip: 'x' }, tags: [1] }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(MacaronError);
    const validation = error as ValidationError;
    expect(validation.code).toBe('VALIDATION_ERROR');
    expect(validation.status).toBe(400);
    expect(problemKeys(validation.problems)).toEqual([
      { pointer: '/address/zip', keyword: 'pattern' },
      { pointer: '/name', keyword: 'minLength' },
      { pointer: '/profile_id', keyword: 'required' },
      { pointer: '/tags/0', keyword: 'type' },
      { pointer: '/view_count', keyword: 'minimum' },
    ]);
  });

  it('refuses a null the schema does not allow, and keeps one it allows', () => {
    const error = thrown(() => Profile.fromJSON({ profile_id: 'p', name: null, tags: [null] }));
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '/name', keyword: 'type' },
      { pointer: '/tags/0', keyword: 'type' },
    ]);
    expect(Profile.fromJSON({ profile_id: 'p', name: 'Ada', nickname: null }).nickname).toBeNull();
  });

  it.each([[null], [[]], ['profile'], [3]])('throws ValidationError for %j', (json) => {
    const error = thrown(() => Profile.fromJSON(json));
    expect(error).toBeInstanceOf(ValidationError);
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '', keyword: 'type' },
    ]);
  });

  it('[P-22] turns base64 into a Uint8Array for format binary, nested too', () => {
    const profile = Profile.fromJSON({
      profile_id: 'p',
      name: 'Ada',
      avatar: 'AAEC/w==',
      photos: ['AQ==', ''],
    });
    expect(profile.avatar).toBeInstanceOf(Uint8Array);
    expect(profile.avatar).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(profile.photos).toEqual([new Uint8Array([1]), new Uint8Array()]);
  });

  it('[P-22] refuses a value of format binary that is not base64', () => {
    const error = thrown(() =>
      Profile.fromJSON({ profile_id: 'p', name: 'Ada', avatar: 'not base64!' }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((problem) => problem.pointer)).toEqual([
      '/avatar',
    ]);
  });

  it('[P-22] turns an int64 decimal string beyond 2^53 into a bigint, and a small one into a number', () => {
    const profile = Profile.fromJSON({
      profile_id: 'p',
      name: 'Ada',
      big_id: '9223372036854775807',
    });
    expect(profile.big_id).toBe(9223372036854775807n);
    expect(
      Profile.fromJSON({ profile_id: 'p', name: 'Ada', big_id: '-9007199254740993' }).big_id,
    ).toBe(-9007199254740993n);
    expect(Profile.fromJSON({ profile_id: 'p', name: 'Ada', big_id: '42' }).big_id).toBe(42);
  });

  it('refuses an int64 beyond its range, even as a string', () => {
    const error = thrown(() =>
      Profile.fromJSON({ profile_id: 'p', name: 'Ada', big_id: '9223372036854775808' }),
    );
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '/big_id', keyword: 'format' },
    ]);
  });

  it('[P-13] refuses an int64 given as a JSON number beyond 2^53 (its precision is already lost)', () => {
    const error = thrown(() =>
      Profile.fromJSON(
        JSON.parse('{"profile_id": "p", "name": "Ada", "big_id": 9007199254740993}'),
      ),
    );
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '/big_id', keyword: 'type' },
    ]);
  });

  it('leaves decimal strings alone where the property is not int64', () => {
    const error = thrown(() => Profile.fromJSON({ profile_id: 'p', name: 'Ada', count: '12' }));
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '/count', keyword: 'type' },
    ]);
    const text = Profile.fromJSON({ profile_id: '12', name: 'AQ==' });
    expect(text.profile_id).toBe('12');
    expect(text.name).toBe('AQ==');
  });

  it('reads a decimal string under a number property only beyond 2^53, where toJSON writes one', async () => {
    const { model } = await loadApi(
      openapi31({ Amount: { type: 'object', properties: { value: { type: 'number' } } } }),
    );
    const Amount = model('Amount');
    const error = thrown(() => Amount.fromJSON({ value: '12' }));
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '/value', keyword: 'type' },
    ]);
    const big = Amount.fromJSON({ value: '12345678901234567890' }) as unknown as { value: unknown };
    expect(big.value).toBe(12345678901234567890n);
  });

  it('does not alias the JSON it was given', () => {
    const json = { profile_id: 'p', name: 'Ada', tags: ['a'], address: { city: 'Paris' } };
    const profile = Profile.fromJSON(json);
    json.tags.push('b');
    json.address.city = 'Lyon';
    expect(profile.tags).toEqual(['a']);
    expect(profile.address).toEqual({ city: 'Paris' });
  });

  it('reports JSON nested too deep as a problem, not a stack overflow', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    const error = thrown(() => Profile.fromJSON({ profile_id: 'p', name: 'Ada', data: deep }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((problem) => problem.keyword)).toContain(
      'depth',
    );
  });
});

describe('toJSON', () => {
  it('[P-12] leaves null out unless the schema allows it', () => {
    const profile = new Profile({ profile_id: 'p', name: 'Ada', nickname: null });
    profile.bio = null;
    expect(profile.toJSON()).toEqual({ profile_id: 'p', name: 'Ada', nickname: null });
    expect('bio' in profile.toJSON()).toBe(false);
  });

  it('[P-16] leaves undefined out', () => {
    const profile = new Profile({ profile_id: 'p', name: 'Ada', view_count: undefined });
    profile.tags = undefined;
    expect(Object.keys(profile.toJSON()).sort()).toEqual(['name', 'profile_id']);
  });

  it('[P-22] writes bytes as base64 and bigints as decimal strings', () => {
    const profile = new Profile({
      profile_id: 'p',
      name: 'Ada',
      avatar: new Uint8Array([0, 1, 2, 255]),
      photos: [new Uint8Array([1])],
      big_id: 2n ** 62n,
    });
    expect(profile.toJSON()).toEqual({
      profile_id: 'p',
      name: 'Ada',
      avatar: 'AAEC/w==',
      photos: ['AQ=='],
      big_id: '4611686018427387904',
    });
  });

  it('is what JSON.stringify writes', () => {
    const profile = new Profile({ profile_id: 'p', name: 'Ada', big_id: 2n ** 62n });
    expect(JSON.parse(JSON.stringify(profile))).toEqual(profile.toJSON());
  });

  it('returns a copy', () => {
    const profile = new Profile({ profile_id: 'p', name: 'Ada', tags: ['a'] });
    (profile.toJSON().tags as string[]).push('b');
    expect(profile.tags).toEqual(['a']);
  });

  it('[P-22] round-trips through fromJSON', () => {
    const profile = new Profile({
      profile_id: 'p',
      name: 'Ada',
      nickname: null,
      view_count: 3,
      big_id: -(2n ** 63n),
      avatar: new Uint8Array([9, 8, 7]),
      photos: [new Uint8Array([1, 2]), new Uint8Array()],
      tags: ['x', 'y'],
      address: { city: 'Paris', zip: '75001' },
      data: { free: ['form', 1, null, { nested: true }] },
    });
    expect(profile.validate()).toEqual([]);
    const again = Profile.fromJSON(JSON.parse(JSON.stringify(profile)));
    expect(again.toJSON()).toEqual(profile.toJSON());
    expect(again.big_id).toBe(-(2n ** 63n));
    expect(again.avatar).toEqual(new Uint8Array([9, 8, 7]));
  });

  it('[P-22] a valid object’s JSON is accepted by fromJSON, a bigint in a plain integer included', () => {
    const profile = new Profile({ profile_id: 'p', name: 'Ada', count: 2n ** 60n });
    const problems = profile.validate();
    // Either the bigint is refused up front, or its JSON form comes back as the same value.
    if (problems.length > 0)
      expect(problemKeys(problems)).toEqual([{ pointer: '/count', keyword: 'type' }]);
    else expect(Profile.fromJSON(profile.toJSON()).count).toBe(2n ** 60n);
  });
});

describe('subclassing a model class', () => {
  class Person extends Profile {
    greet(): string {
      return `Hello, ${this.name}`;
    }
  }

  it('adds methods and keeps the model ones', () => {
    const person = new Person({ profile_id: 'p', name: 'Ada' });
    expect(person.greet()).toBe('Hello, Ada');
    expect(person.validate()).toEqual([]);
    expect(person.toJSON()).toEqual({ profile_id: 'p', name: 'Ada' });
    expect(person).toBeInstanceOf(Profile);
  });

  it('fromJSON returns an instance of the subclass', () => {
    const person = Person.fromJSON({ profile_id: 'p', name: 'Grace' });
    expect(person).toBeInstanceOf(Person);
    expect(person.greet()).toBe('Hello, Grace');
  });

  it('fromJSON of the subclass still validates', () => {
    expect(thrown(() => Person.fromJSON({ profile_id: 'p' }))).toBeInstanceOf(ValidationError);
  });
});
