import { describe, expect, it } from 'vitest';
import { openapi30, thrown } from '../../test/support/specs.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';
import { prepareObjectWrite } from './object-write.js';

const api = await loadApi(
  openapi30({
    Note: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      'x-persist': { table: 'notes', key: 'id' },
      properties: {
        id: { type: 'string' },
        text: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
  }),
);
const Note = api.persistent('Note');
const model = Note.descriptor;
const limit = 400 * 1024;

describe("the size bound of a save's checked copy", () => {
  it("counts what was copied before a getter validated another object (the copy's own count)", () => {
    // 300,000 + 130,000 bytes: above the limit. A getter's own validate() in the middle of the
    // copy must not leave the bound at what came after it (390,000: under the limit).
    const note = new Note({ id: 'n', text: 'a'.repeat(300_000) });
    const other = new Note({ id: 'o' });
    Object.defineProperty(note, 'tags', {
      enumerable: true,
      configurable: true,
      get() {
        other.validate();
        return ['b'.repeat(130_000)];
      },
    });
    const refused = thrown(() => prepareObjectWrite(model, note, 'save', limit));
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).problems[0]?.keyword).toBe('maxItemBytes');
  });

  it("counts what was copied before a getter's own validate() threw mid-copy (the count restored)", () => {
    // The other object's getter throws inside its copy; the getter that asked catches it. The
    // save's count goes on from its 300,000 bytes, not from what the thrown copy left.
    const note = new Note({ id: 'n', text: 'a'.repeat(300_000) });
    const other = new Note({ id: 'o' });
    Object.defineProperty(other, 'text', {
      enumerable: true,
      configurable: true,
      get() {
        throw new Error('not readable');
      },
    });
    Object.defineProperty(note, 'tags', {
      enumerable: true,
      configurable: true,
      get() {
        expect(() => other.validate()).toThrow('not readable');
        return ['b'.repeat(130_000)];
      },
    });
    const refused = thrown(() => prepareObjectWrite(model, note, 'save', limit));
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).problems[0]?.keyword).toBe('maxItemBytes');
  });
});
