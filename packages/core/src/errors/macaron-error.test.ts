import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/support/specs.js';
import { defineError, MacaronError } from './macaron-error.js';
import {
  AlreadyExistsError,
  ConflictError,
  ItemError,
  ItemNotFoundError,
} from './persistence-errors.js';
import { SpecError } from './spec-error.js';
import { ValidationError, type ValidationProblem } from './validation-error.js';

class UserNotFoundError extends MacaronError {
  static override code = 'USER_NOT_FOUND';
  static override status = 404;
}

class DeletedUserError extends UserNotFoundError {}

describe('MacaronError', () => {
  it('defaults to SERVER_ERROR and 500', () => {
    const error = new MacaronError('boom');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('SERVER_ERROR');
    expect(error.status).toBe(500);
    expect(error.userMessage).toBeUndefined();
    expect(error.name).toBe('MacaronError');
    expect(error.message).toBe('boom');
  });

  it('keeps the user message and the cause', () => {
    const cause = new Error('engine said no');
    const error = new MacaronError('boom', { userMessage: 'Try again later', cause });
    expect(error.userMessage).toBe('Try again later');
    expect(error.cause).toBe(cause);
  });

  it('has no cause unless one is given', () => {
    expect('cause' in new MacaronError('boom')).toBe(false);
  });

  it('takes code and status from the static fields of a subclass', () => {
    const error = new UserNotFoundError('no such user');
    expect(error).toBeInstanceOf(MacaronError);
    expect(error).toBeInstanceOf(UserNotFoundError);
    expect(error.code).toBe('USER_NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.name).toBe('UserNotFoundError');
  });

  it('inherits code and status through further subclasses, with their own name', () => {
    const error = new DeletedUserError('gone');
    expect(error.code).toBe('USER_NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.name).toBe('DeletedUserError');
    expect(error).toBeInstanceOf(UserNotFoundError);
  });

  it("[P-80] serialises to PyMacaron's shape", () => {
    expect(new UserNotFoundError('no such user').toErrorJSON()).toStrictEqual({
      error: 'USER_NOT_FOUND',
      error_description: 'no such user',
      status: 404,
    });
    expect(
      new UserNotFoundError('no such user', {
        userMessage: 'This user does not exist',
      }).toErrorJSON(),
    ).toStrictEqual({
      error: 'USER_NOT_FOUND',
      error_description: 'no such user',
      user_message: 'This user does not exist',
      status: 404,
    });
  });

  it('does not put the cause in the JSON', () => {
    const json = new MacaronError('boom', { cause: new Error('secret internals') }).toErrorJSON();
    expect(Object.keys(json).sort()).toEqual(['error', 'error_description', 'status']);
  });
});

describe('[P-79] MacaronError.isInstance', () => {
  it('is true for errors of this copy, subclasses included', () => {
    expect(MacaronError.isInstance(new MacaronError('x'))).toBe(true);
    expect(MacaronError.isInstance(new UserNotFoundError('x'))).toBe(true);
    expect(MacaronError.isInstance(new ValidationError('x', []))).toBe(true);
  });

  it('is true for an error from another copy of core (it carries the global marker)', () => {
    const foreign = new Error('from another copy');
    Object.defineProperty(foreign, Symbol.for('@macaron/core/MacaronError'), {
      value: ['VALIDATION_ERROR'],
    });
    expect(MacaronError.isInstance(foreign)).toBe(true);
    expect(ValidationError.isInstance(foreign)).toBe(true);
    expect(ItemNotFoundError.isInstance(foreign)).toBe(false);
    // instanceof agrees (a copy of core Jest's resetModules loads, a second install).
    expect(foreign instanceof MacaronError).toBe(true);
    expect(foreign instanceof ValidationError).toBe(true);
    expect(foreign instanceof ItemNotFoundError).toBe(false);
    expect(new Error('plain') instanceof MacaronError).toBe(false);
    expect((null as unknown as object) instanceof MacaronError).toBe(false);
  });

  it('each class recognises its own errors and its subclasses’, not its siblings’', () => {
    const location = { model: 'Note', table: 'notes', key: { id: 'n' } };
    const conflict = new ConflictError(location, 1);
    expect(ConflictError.isInstance(conflict)).toBe(true);
    expect(ItemNotFoundError.isInstance(conflict)).toBe(false);
    expect(AlreadyExistsError.isInstance(conflict)).toBe(false);
    class StaleAccountError extends ConflictError {
      static override code = 'STALE_ACCOUNT';
    }
    const stale = new StaleAccountError(location, 2);
    expect(ConflictError.isInstance(stale)).toBe(true);
    expect(StaleAccountError.isInstance(stale)).toBe(true);
    expect(StaleAccountError.isInstance(conflict)).toBe(false);
    const UserNotFound = defineError({ code: 'USER_NOT_FOUND', status: 404 });
    expect(UserNotFound.isInstance(new UserNotFound('x'))).toBe(true);
    expect(UserNotFound.isInstance(new ItemNotFoundError(location))).toBe(false);
  });

  it('a class declaring no code of its own is told from its parent by prototype only', () => {
    // Such a class carries its parent's code: by code, every error of the parent (or of a
    // sibling) would be one of it.
    const location = { model: 'Note', table: 'notes', key: { id: 'n' } };
    class StaleError extends ConflictError {}
    const conflict = new ConflictError(location, 1);
    const stale = new StaleError(location, 2);
    expect(stale instanceof StaleError).toBe(true);
    expect(stale instanceof ConflictError).toBe(true);
    expect(ConflictError.isInstance(stale)).toBe(true);
    expect(conflict instanceof StaleError).toBe(false);
    expect(StaleError.isInstance(conflict)).toBe(false);
    // ItemError declares no code: MacaronError's is not its.
    const plain = new MacaronError('x');
    expect(plain instanceof ItemError).toBe(false);
    expect(ItemError.isInstance(plain)).toBe(false);
    expect(ItemError.isInstance(conflict)).toBe(true);
    expect(conflict instanceof ItemError).toBe(true);
  });

  it('a class declaring no code of its own matches the errors of another copy by its name', async () => {
    // A second instance of the module, as Jest's resetModules or a second install loads it.
    const specifier = './persistence-errors.js?another-copy';
    const other = (await import(
      /* @vite-ignore */ specifier
    )) as typeof import('./persistence-errors.js');
    expect(other.ItemError).not.toBe(ItemError);
    const location = { model: 'Note', table: 'notes', key: { id: 'n' } };
    const theirs = new other.ItemNotFoundError(location);
    expect(theirs instanceof ItemError).toBe(true);
    expect(ItemError.isInstance(theirs)).toBe(true);
    expect(new ItemNotFoundError(location) instanceof other.ItemError).toBe(true);
    // Still not every error of the parent.
    expect(other.ItemError.isInstance(new MacaronError('x'))).toBe(false);
    expect(new MacaronError('x') instanceof other.ItemError).toBe(false);
  });

  it.each([
    ['a plain Error', new Error('x')],
    ['an object with code and status', { code: 'USER_NOT_FOUND', status: 404 }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'MacaronError'],
  ])('is false for %s', (_label, value) => {
    expect(MacaronError.isInstance(value)).toBe(false);
  });
});

describe('defineError', () => {
  it('declares a MacaronError class with the code and status', () => {
    const UserNotFound = defineError({ code: 'USER_NOT_FOUND', status: 404 });
    const error = new UserNotFound('no such user', { userMessage: 'Unknown user' });
    expect(error).toBeInstanceOf(UserNotFound);
    expect(error).toBeInstanceOf(MacaronError);
    expect(MacaronError.isInstance(error)).toBe(true);
    expect(error.code).toBe('USER_NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.toErrorJSON()).toEqual({
      error: 'USER_NOT_FOUND',
      error_description: 'no such user',
      user_message: 'Unknown user',
      status: 404,
    });
  });

  it('names the class after the code, or as told', () => {
    const UserNotFound = defineError({ code: 'USER_NOT_FOUND', status: 404 });
    expect(UserNotFound.name).toBe('UserNotFoundError');
    expect(new UserNotFound('x').name).toBe('UserNotFoundError');
    const Named = defineError({ code: 'TOO_MANY', status: 429, name: 'RateLimitedError' });
    expect(Named.name).toBe('RateLimitedError');
    expect(new Named('x').name).toBe('RateLimitedError');
  });

  it('gives each definition its own class', () => {
    const A = defineError({ code: 'A_ERROR', status: 400 });
    const B = defineError({ code: 'B_ERROR', status: 409 });
    expect(new A('x')).not.toBeInstanceOf(B);
    expect(new B('x').code).toBe('B_ERROR');
    expect(new A('x').code).toBe('A_ERROR');
  });

  it.each(['user_not_found', 'User_Not_Found', '1_ERROR', 'USER-NOT-FOUND', '', 'USER NOT FOUND'])(
    'rejects the code %j',
    (code) => {
      expect(thrown(() => defineError({ code, status: 400 }))).toBeInstanceOf(TypeError);
    },
  );
});

describe('SpecError and ValidationError', () => {
  it('SpecError is SPEC_INVALID / 500 and keeps its problems', () => {
    const problems = [{ file: '/a.yaml', pointer: '/paths', message: 'bad', schema: 'P' }];
    const error = new SpecError('Broken', problems);
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.status).toBe(500);
    expect(error.problems).toEqual(problems);
    expect(error.name).toBe('SpecError');
  });

  it('ValidationError is VALIDATION_ERROR / 400 and keeps its problems', () => {
    const problems = [{ pointer: '/name', keyword: 'required', message: 'is required' }];
    const error = new ValidationError('Invalid', problems, { userMessage: 'Check the form' });
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.status).toBe(400);
    expect(error.problems).toEqual(problems);
    expect(error.toErrorJSON()).toMatchObject({
      error: 'VALIDATION_ERROR',
      status: 400,
      user_message: 'Check the form',
    });
  });

  it("ValidationError thrown by a handler's own check: a message alone, or options in place of the problems (from JavaScript)", () => {
    const alone = new ValidationError('The end date is before the start');
    expect(alone.message).toBe('The end date is before the start');
    expect(alone.problems).toEqual([]);
    expect(alone.toErrorJSON()).toMatchObject({ error: 'VALIDATION_ERROR', status: 400 });
    const withOptions = new ValidationError('Too late', {
      userMessage: 'Closed',
    } as unknown as ValidationProblem[]);
    expect(withOptions.problems).toEqual([]);
    expect(withOptions.toErrorJSON()).toMatchObject({ user_message: 'Closed', status: 400 });
  });

  it('ValidationError spells out its first 20 problems in its message, and keeps them all', () => {
    const problems = Array.from({ length: 450_000 }, (_, index) => ({
      pointer: `/tags/${index}`,
      keyword: 'type',
      message: 'must be string',
    }));
    const error = new ValidationError('Invalid P', problems);
    expect(error.problems).toHaveLength(450_000);
    expect(error.message).toContain(
      '/tags/19 must be string; and 449980 more (450000 problems or more)',
    );
    expect(error.message).not.toContain('/tags/20 ');
    expect(JSON.stringify(error.toErrorJSON()).length).toBeLessThan(1_000);
    expect(new ValidationError('Invalid', problems.slice(0, 20)).message).not.toContain('more');
    // Validation stops at 1,000 problems (P-82): so many is never told as all there are.
    expect(new ValidationError('Invalid', problems.slice(0, 1000)).message).toContain(
      'and 980 more (1000 problems or more)',
    );
    expect(new ValidationError('Invalid', problems.slice(0, 999)).message).toContain(
      'and 979 more (999 problems in all)',
    );
  });
});
