import { join } from 'node:path';
import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';
import { parse, YAMLParseError } from 'yaml';
import { BlockFailure, describeError } from './block-failure.js';
import { directiveOf, type MarkdownBlock } from './markdown-blocks.js';
import { writeScratchFile } from './scratch-project.js';

/**
 * A yaml block parses. When it is a spec, or a fragment of one (`components:`, or schemas by
 * name such as an `x-persist` example), it is completed into an OpenAPI 3.0 document and loaded
 * with `loadApi`, which reports malformed annotations. Other YAML (a redocly.yaml) only parses.
 * With `file=PATH` the block is written to the scratch project exactly as it stands, and loaded
 * from there: a reader copies it into a file as it is, so it must be a whole document.
 */
export async function checkYamlBlock(block: MarkdownBlock, project: string): Promise<void> {
  let document: unknown;
  try {
    document = parse(block.code);
  } catch (error) {
    const line = error instanceof YAMLParseError ? (error.linePos?.[0].line ?? 1) : 1;
    throw new BlockFailure(block, describeError(error), block.line + line);
  }
  const spec = asSpec(document);
  const file = directiveOf(block, 'file');
  if (file) writeScratchFile(project, file.path, block.code);
  if (!spec) return;
  try {
    const source = file ? join(project, file.path) : spec;
    await loadApi(source, { backend: createMemoryBackend() });
  } catch (error) {
    throw new BlockFailure(block, `loadApi refuses it: ${describeError(error)}`);
  }
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The block as a whole spec, or undefined when it is not (part of) one. */
function asSpec(document: unknown): Mapping | undefined {
  if (!isMapping(document)) return undefined;
  if ('openapi' in document || 'swagger' in document) return document;
  const header = { openapi: '3.0.3', info: { title: 'readme', version: '1.0.0' }, paths: {} };
  if ('components' in document) return { ...header, ...document };
  const values = Object.values(document);
  const isSchemaMap =
    values.length > 0 &&
    values.every((value) => isMapping(value) && ('type' in value || 'x-persist' in value));
  return isSchemaMap ? { ...header, components: { schemas: document } } : undefined;
}
