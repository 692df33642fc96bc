/**
 * A `$ref`'s fragment pointer (`/paths/~1things~1%7Bid%7D`, the `#` left off) as its tokens,
 * read as @macaron/core and the bundler read it: split at `/`, then each token's
 * percent-encoding decoded (a `%2F` is a `/` within its token) and its `~1`, `~0` unescaped.
 * A token not well encoded (a bare `%`, in a name `100%`) is read as written.
 */
export function fragmentTokens(fragment: string): string[] {
  return fragment
    .split('/')
    .slice(1)
    .map((token) => {
      let decoded = token;
      if (token.includes('%'))
        try {
          decoded = decodeURIComponent(token);
        } catch {}
      return decoded.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}
