// Preloaded (`node --import ./module-watch.mjs …`): reports on stderr, as `LOADED <url>`, every
// module whose URL matches MODULE_WATCH (a regular expression), so a cold start can show that
// dynamodb-toolbox or @redocly/openapi-core stayed unloaded.
import { register } from 'node:module';

if (process.env.MODULE_WATCH) {
  register(
    `data:text/javascript,${encodeURIComponent(`
      import { writeSync } from 'node:fs';
      const watched = new RegExp(${JSON.stringify(process.env.MODULE_WATCH)});
      const seen = new Set();
      export async function resolve(specifier, context, next) {
        const result = await next(specifier, context);
        if (watched.test(result.url)) {
          const owner = result.url.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\/(?!.*node_modules)/)?.[1] ?? result.url;
          if (!seen.has(owner)) { seen.add(owner); writeSync(2, 'LOADED ' + owner + '\\n'); }
        }
        return result;
      }
    `)}`,
  );
}
