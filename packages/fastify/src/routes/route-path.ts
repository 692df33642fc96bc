/** A spec path as a fastify route. */
export interface RoutePath {
  /** The fastify URL, e.g. `/v1/profiles/:id`. */
  url: string;
  /** Fastify parameter name of each path template variable, by its name in the spec. */
  parameters: Map<string, string>;
}

const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const variablePiece = /^\{([^{}]+)\}$/;

/**
 * Turns a spec path template (`/profiles/{id}`) into a fastify route (`/profiles/:id`) under
 * a base path (Swagger 2.0's `basePath`). Names fastify cannot hold (`{user-id}`) are renamed.
 * Literal text is escaped from find-my-way's syntax: a colon is written `::`, and a `*` (a
 * wildcard to it, which it cannot escape) is a parameter whose pattern is that `*`, named
 * `star0`, `star1`… (it shows in `request.params` only).
 */
export function toRoutePath(specPath: string, basePath = ''): RoutePath {
  const parameters = new Map<string, string>();
  const prefix = basePath.replace(/\/+$/, '');
  const path = specPath.startsWith('/') ? specPath : `/${specPath}`;
  const pieces = path.split(/(\{[^{}]+\})/);
  // Names given to the route's own parameters never take one of the spec's.
  const taken = new Set(
    pieces.map((piece) => variablePiece.exec(piece)?.[1]).filter((name) => name !== undefined),
  );
  let generated = 0;
  const freshName = (stem: string) => {
    let name: string;
    do name = `${stem}${generated++}`;
    while (taken.has(name));
    return name;
  };
  const url = pieces
    .map((piece, index) => {
      const variable = variablePiece.exec(piece)?.[1];
      if (variable === undefined) {
        return piece
          .replaceAll(':', '::')
          .replace(/\*+/g, (stars) => `:${freshName('star')}(^${'\\*'.repeat(stars.length)})`);
      }
      const name = plainName.test(variable) ? variable : freshName('param');
      parameters.set(variable, name);
      // A variable followed by text in its segment (`{id}:increment`) needs a pattern to end.
      const next = pieces[index + 1] ?? '';
      return next === '' || next.startsWith('/') ? `:${name}` : `:${name}(^[^/]+?)`;
    })
    .join('');
  return {
    url: `${prefix.startsWith('/') || prefix === '' ? prefix : `/${prefix}`}${url}`,
    parameters,
  };
}

/**
 * Why fastify cannot serve a spec path as written, or undefined when it can: a literal `?` or
 * `#` ends the path of a request URL, and find-my-way keeps them encoded (`%3F`, `%23`) when it
 * matches one, so no request reaches such a route.
 */
export function unservablePath(specPath: string): string | undefined {
  const literal = specPath.replace(/\{[^{}]+\}/g, '');
  const character = /[?#]/.exec(literal)?.[0];
  if (character === undefined) return undefined;
  return `the path has a literal "${character}", which ends the path of a URL: fastify cannot serve it (write a path parameter, or another character)`;
}

/**
 * Reads the path variables of a request as the client wrote them, still percent-encoded, by
 * their name in the spec: their style's delimiters are then found before decoding, so that an
 * encoded `%2C` is data. Segments are matched from the end of the request's path (a prefix or a
 * base path comes before); a variable not found there is left out, and the caller checks each
 * value against the one the router decoded.
 */
export function encodedPathReader(specPath: string): (url: string) => Map<string, string> {
  const template = (specPath.startsWith('/') ? specPath : `/${specPath}`).split('/');
  const matchers = template.map((segment) => {
    const pieces = segment.split(/(\{[^{}]+\})/);
    const names = pieces.flatMap((piece) => variablePiece.exec(piece)?.[1] ?? []);
    if (names.length === 0) return undefined;
    const source = pieces
      .map((piece) => (variablePiece.test(piece) ? '(.*?)' : escapeRegExp(piece)))
      .join('');
    return { names, pattern: new RegExp(`^${source}$`, 'is') };
  });
  return (url) => {
    const values = new Map<string, string>();
    const segments = url.split(/[?#]/, 1)[0]!.split('/');
    if (segments.length > 1 && segments.at(-1) === '' && template.at(-1) !== '') segments.pop();
    const offset = segments.length - template.length;
    if (offset < 0) return values;
    matchers.forEach((matcher, index) => {
      if (!matcher) return;
      const match = matcher.pattern.exec(segments[offset + index]!);
      if (!match) return;
      matcher.names.forEach((name, n) => {
        values.set(name, match[n + 1]!);
      });
    });
    return values;
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
