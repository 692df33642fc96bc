// A warm `tsc -p tsconfig.json` for the tests' TypeScript projects: an HTTP server on
// 127.0.0.1 that compiles the project folder each POST names, as tsc does (the same
// steps, diagnostics, output and emit), and answers `{ code, output }`. Started by
// test/compile-servers.ts; it stops when its stdin closes.
//
// Why: a `tsc` process per project spent most of its ~5 s loading the compiler and parsing
// the same lib and @macaron declaration files. Here those files outside the project, parsed
// once, are shared between programs through a DocumentRegistry (as an editor's language
// service shares them), keyed by the options that shape a parse and by the file's mtime.
// Each project still gets a program and a checker of its own: nothing of one compile is
// carried into the next but those parsed declaration files.
import { statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { sep } from 'node:path';

const ts = createRequire(import.meta.url)('typescript');

// tsc's own (see performCompilation in typescript's _tsc.js).
const jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
const registry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, '/', jsDocParsingMode);

class Exit extends Error {}

/** What `tsc -p tsconfig.json` run in `folder` exits with and prints. */
function compile(folder) {
  let output = '';
  let exitCode;
  const system = Object.create(ts.sys, {
    getCurrentDirectory: { value: () => folder },
    write: { value: (text) => (output += text) },
    exit: {
      value: (code) => {
        exitCode = code;
        throw new Exit();
      },
    },
  });
  try {
    const reportDiagnostic = ts.createDiagnosticReporter(system);
    const config = ts.parseConfigFileWithSystem(
      `${folder}/tsconfig.json`,
      {},
      new Map(),
      undefined,
      system,
      reportDiagnostic,
    );
    const host = ts.createCompilerHostWorker(config.options, undefined, system);
    host.jsDocParsingMode = jsDocParsingMode;
    const getCanonicalFileName = ts.createGetCanonicalFileName(host.useCaseSensitiveFileNames());
    const toPath = (fileName) => ts.toPath(fileName, folder, getCanonicalFileName);
    const parseAlone = host.getSourceFile;
    const key = registry.getKeyForCompilationSettings(config.options);
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNew) => {
      // The project's own files (its sources, the generated modules) are read afresh.
      if (fileName.startsWith(`${folder}${sep}`) || shouldCreateNew)
        return parseAlone(fileName, languageVersionOrOptions, onError, shouldCreateNew);
      let version;
      try {
        version = String(statSync(fileName).mtimeMs);
      } catch {
        return parseAlone(fileName, languageVersionOrOptions, onError, shouldCreateNew);
      }
      const text = host.readFile(fileName);
      if (text === undefined)
        return parseAlone(fileName, languageVersionOrOptions, onError, shouldCreateNew);
      return registry.acquireDocumentWithKey(
        fileName,
        toPath(fileName),
        config.options,
        key,
        ts.ScriptSnapshot.fromString(text),
        version,
        undefined,
        languageVersionOrOptions,
      );
    };
    ts.changeCompilerHostLikeToUseCache(host, toPath);
    const program = ts.createProgram({
      rootNames: config.fileNames,
      options: config.options,
      projectReferences: config.projectReferences,
      host,
      configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
    });
    exitCode = ts.emitFilesAndReportErrorsAndGetExitStatus(
      program,
      reportDiagnostic,
      (text) => system.write(text + system.newLine),
      undefined,
    );
  } catch (error) {
    if (!(error instanceof Exit)) throw error;
  }
  // The tests' runs take any failure as 1, as they do a tsc process's exit codes 1 and 2.
  return { code: exitCode === 0 ? 0 : 1, output };
}

const server = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    let answer;
    try {
      answer = { status: 200, result: compile(JSON.parse(body).folder) };
    } catch (error) {
      // A compiler crash is the test's failure, with its stack, not a hang.
      answer = { status: 500, result: { error: String(error?.stack ?? error) } };
    }
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.result));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));
