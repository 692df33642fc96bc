import { describe, expect, it } from 'vitest';
import { pymacaronExtensionFindings } from './pymacaron-extensions.js';

function decorated(value: unknown) {
  return {
    swagger: '2.0',
    info: { title: 't', version: '1' },
    paths: { '/a': { post: { 'x-decorate-server': value, responses: {} } } },
  };
}

const messages = (value: unknown) =>
  pymacaronExtensionFindings(decorated(value)).map((finding) => finding.message);

describe('x-decorate-server findings', () => {
  it('says nothing of PyMacaron bearer auth, named alone or alone in a list', () => {
    expect(messages('pymacaron.auth.requires_auth')).toEqual([]);
    expect(messages(['pymacaron.auth.requires_auth'])).toEqual([]);
    expect(messages([])).toEqual([]);
  });

  it('names only the decorators the application must give, one or several', () => {
    expect(messages('my.deco')).toEqual([
      expect.stringMatching(
        /^x-decorate-server "my.deco" is not implemented by Macaron .* give its code/,
      ),
    ]);
    expect(messages(['pymacaron.auth.requires_auth', 'my.deco'])).toEqual([
      expect.stringMatching(/^x-decorate-server "my.deco" is not/),
    ]);
    expect(messages(['a.b', 'pymacaron.auth.requires_auth', 'c.d'])).toEqual([
      expect.stringMatching(
        /^x-decorate-server "a.b", "c.d" are not implemented .* give their code/,
      ),
    ]);
    expect(messages(5)).toEqual([expect.stringMatching(/^x-decorate-server 5 is not/)]);
  });
});
