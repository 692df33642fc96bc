type JsYaml = typeof import('js-yaml');
type YamlNode = import('js-yaml').Node;

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

const mergeTags = new Set(['tag:yaml.org,2002:merge', '!!merge', '!<tag:yaml.org,2002:merge>']);

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
  let contents: YamlNode | null | undefined;
  try {
    contents = yaml.eventsToAst(yaml.parseEvents(text, {}), { source: text, schema })[0]?.contents;
  } catch {
    return undefined;
  }
  if (!contents) return undefined;
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
      converted = mergeTags.has(node.tag)
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
