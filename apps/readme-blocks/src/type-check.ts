import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { BlockFailure } from './block-failure.js';
import type { TypeScriptModule } from './typescript-modules.js';

// Declaration files of node_modules and TypeScript's libs are parsed once for every README:
// each module is a small program of its own, but the AWS SDK's types are large.
const sharedSourceFiles = new Map<string, ts.SourceFile>();
let previousProgram: ts.Program | undefined;

/**
 * Type-checks a module (written to the scratch project's src/) with the scratch project's
 * tsconfig.json, the documented one. Libraries' declarations are not checked here
 * (`skipLibCheck`): the TypeScript-range test checks them with the documented tsconfig alone.
 */
export function typeCheckModule(project: string, module: TypeScriptModule): void {
  const configFile = join(project, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(
    JSON.parse(readFileSync(configFile, 'utf8')),
    ts.sys,
    project,
    { noEmit: true, skipLibCheck: true },
    configFile,
  );
  const host = ts.createCompilerHost(config.options);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.includes('/node_modules/')) {
      return readSourceFile(fileName, languageVersion, onError, shouldCreate);
    }
    let sourceFile = sharedSourceFiles.get(fileName);
    if (!sourceFile) {
      sourceFile = readSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (sourceFile) sharedSourceFiles.set(fileName, sourceFile);
    }
    return sourceFile;
  };
  const path = join(project, 'src', module.fileName);
  const program = ts.createProgram([path], config.options, host, previousProgram);
  previousProgram = program;
  const sourceFile = program.getSourceFile(path)!;
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(sourceFile),
    ...program.getSemanticDiagnostics(sourceFile),
  ];
  if (diagnostics.length === 0) return;
  const first = module.blocks[0]!;
  const messages = diagnostics.map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file !== sourceFile || diagnostic.start === undefined) return text;
    const { line } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
    return `${module.readme}:${module.readmeLines[line]}: TS${diagnostic.code} ${text}`;
  });
  const firstLine = /:(\d+): TS/.exec(messages[0]!)?.[1];
  throw new BlockFailure(
    first,
    `does not type-check:\n${messages.join('\n')}`,
    firstLine ? Number(firstLine) : first.line,
  );
}
