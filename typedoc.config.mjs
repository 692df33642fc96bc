// The API reference of every public package (`pnpm docs:api`, into dist/api-docs), one module
// per entry point in each package's `exports`. CI builds it, so a broken {@link} or entry
// point fails there.
const validation = {
  invalidLink: true,
  rewrittenLink: true,
  // Exported types that are not exported by name are listed, for review, in the API reports
  // (packages/*/etc, ae-forgotten-export).
  notExported: false,
  // The READMEs link to folders of the repository, which GitHub shows and TypeDoc cannot copy.
  invalidPath: false,
  notDocumented: false,
};

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'Macaron',
  entryPointStrategy: 'packages',
  entryPoints: ['packages/*'],
  out: 'dist/api-docs',
  treatWarningsAsErrors: true,
  validation,
  // TypeDoc's defaults, and the languages of the doc comments' and READMEs' code blocks.
  highlightLanguages:
    'bash console css html javascript json jsonc json5 sh sql ts tsx typescript yaml'.split(' '),
  packageOptions: {
    tsconfig: 'tsconfig.build.json',
    // `pnpm build` and `pnpm typecheck` check the types: this only reads them.
    skipErrorChecking: true,
    sourceLinkTemplate: 'https://github.com/macaron-js/macaron/blob/{gitRevision}/{path}#L{line}',
    validation,
  },
};
