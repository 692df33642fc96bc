type JsYaml = typeof import('js-yaml');
type YamlNode = import('js-yaml').Node;
type YamlDocument = import('js-yaml').Document;

/**
 * A node of a spec file's syntax tree, as `recordExactNumbers` walks it: a scalar with its text
 * (whether it is a number the document tells, whatever its quotes and tag), a merge key (`<<`),
 * a mapping, a sequence, or an alias of a mapping or a sequence (an alias of a scalar is that
 * scalar).
 */
export type SpecSyntaxNode =
  | { readonly kind: 'scalar'; readonly text: string }
  | { readonly kind: 'merge' }
  | {
      readonly kind: 'mapping';
      readonly entries: readonly { key: SpecSyntaxNode; value: SpecSyntaxNode }[];
    }
  | { readonly kind: 'sequence'; readonly items: readonly SpecSyntaxNode[] }
  | { readonly kind: 'alias'; readonly target: SpecSyntaxNode | undefined };

const mergeTag = 'tag:yaml.org,2002:merge';

/**
 * The syntax tree of a YAML (or JSON) file, as js-yaml parses it: the parser redocly reads the
 * file's document with, so that the tree has the document's shape, where the tree redocly
 * locates problems with (yaml-ast-parser's) does not: that one reads no tags, and a tagged
 * scalar in a flow mapping (`{ maximum: !!int 5 }`) breaks the rest of its file. With
 * redocly's schema (js-yaml's core schema, merge keys, no timestamps). Undefined when js-yaml
 * cannot parse the text (redocly would have refused it first).
 */
export function yamlSyntaxTree(yaml: JsYaml, text: string): SpecSyntaxNode | undefined {
  const schema = yaml.CORE_SCHEMA.withTags(
    yaml.mergeTag,
    yaml.binaryTag,
    yaml.omapTag,
    yaml.pairsTag,
    yaml.setTag,
  );
  let document: YamlDocument | undefined;
  try {
    document = yaml.eventsToAst(yaml.parseEvents(text, {}), { source: text, schema })[0];
  } catch {
    return undefined;
  }
  const contents = document?.contents;
  if (!document || !contents) return undefined;
  const handles = new Map<string, string>();
  for (const directive of document.directives)
    if (directive.kind === 'tag') handles.set(directive.handle, directive.prefix);
  // An alias names the node its anchor last marked before it, in the order of the text: the
  // order this walk converts nodes in.
  const anchored = new Map<string, SpecSyntaxNode>();
  const convert = (node: YamlNode): SpecSyntaxNode => {
    if (node.kind === 'alias') {
      const target = anchored.get(node.anchor);
      return target?.kind === 'scalar' ? target : { kind: 'alias', target };
    }
    let converted: SpecSyntaxNode;
    if (node.kind === 'scalar')
      converted =
        (node.tagged ? fullTag(node.tag, handles) : node.tag) === mergeTag
          ? { kind: 'merge' }
          : { kind: 'scalar', text: node.value };
    else if (node.kind === 'sequence')
      converted = { kind: 'sequence', items: node.items.map(convert) };
    else
      converted = {
        kind: 'mapping',
        entries: node.items.map((entry) => ({
          key: convert(entry.key),
          value: convert(entry.value),
        })),
      };
    if (node.anchor !== undefined) anchored.set(node.anchor, converted);
    return converted;
  };
  return convert(contents);
}

/**
 * The tag a node's written one names (`!!merge`, `!core!merge` under `%TAG !core!
 * tag:yaml.org,2002:`, `!<tag:yaml.org,2002:merge>`), as js-yaml resolves it: the tree keeps it
 * as written, and any handle may name the merge tag.
 */
function fullTag(written: string, handles: ReadonlyMap<string, string>): string {
  if (written.startsWith('!<') && written.endsWith('>')) return decodedTag(written.slice(2, -1));
  const handleEnd = written.indexOf('!', 1);
  const handle = handleEnd === -1 ? '!' : written.slice(0, handleEnd + 1);
  const prefix = handles.get(handle) ?? defaultHandles.get(handle) ?? handle;
  return decodedTag(prefix) + decodedTag(written.slice(handle.length));
}

const defaultHandles = new Map([
  ['!', '!'],
  ['!!', 'tag:yaml.org,2002:'],
]);

// A tag's %-escapes (`!core!m%65rge`); one that is no UTF-8 names no tag Macaron knows.
function decodedTag(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
