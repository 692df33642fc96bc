/** A spec path as a fastify route. */
export interface RoutePath {
  /** The fastify URL, e.g. `/v1/profiles/:id`. */
  url: string;
  /** Fastify parameter name of each path template variable, by its name in the spec. */
  parameters: Map<string, string>;
}

const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Turns a spec path template (`/profiles/{id}`) into a fastify route (`/profiles/:id`) under
 * a base path (Swagger 2.0's `basePath`). Names fastify cannot hold (`{user-id}`) are renamed.
 */
export function toRoutePath(specPath: string, basePath = ''): RoutePath {
  const parameters = new Map<string, string>();
  const prefix = basePath.replace(/\/+$/, '');
  const path = specPath.startsWith('/') ? specPath : `/${specPath}`;
  const pieces = path.split(/(\{[^{}]+\})/);
  const url = pieces
    .map((piece, index) => {
      const variable = /^\{([^{}]+)\}$/.exec(piece)?.[1];
      // A literal colon is written `::` in a fastify route.
      if (variable === undefined) return piece.replaceAll(':', '::');
      const name = plainName.test(variable) ? variable : `param${parameters.size}`;
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
