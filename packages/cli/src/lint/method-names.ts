import type { Api, SchemaNode } from '@macaron/core';
import { pointerToken } from '../spec/pointer-token.js';
import type { SpecFinding } from './spec-finding.js';

// The methods of every model object, and those a persistent one adds.
const modelMethods = ['toJSON', 'validate'];
const persistentMethods = ['save', 'create', 'delete', 'key'];

/**
 * Properties named like a method of the schema's model objects (`save`, `toJSON`, …). The
 * property shadows the method on each object (P-88: names are data), while the TypeScript type
 * of the object still offers the method, so a call compiles and fails at run time. One finding
 * at each such property, of the schema or of its allOf members, under the first name that
 * reaches it.
 */
export function methodNameFindings(
  api: Api,
  // Named schemas checked as persistent models, whatever their x-persist says.
  persistent: ReadonlySet<string> = new Set(),
): SpecFinding[] {
  const findings = new Map<string, SpecFinding>();
  for (const name of api.modelNames()) {
    const schema = api.schema(name);
    const methods =
      schema.persist === undefined && !persistent.has(name)
        ? modelMethods
        : [...modelMethods, ...persistentMethods];
    const seen = new Set<SchemaNode>();
    const visit = (node: SchemaNode) => {
      if (seen.has(node)) return;
      seen.add(node);
      for (const method of methods) {
        if (!Object.hasOwn(node.properties, method)) continue;
        const pointer = `${node.pointer}/properties/${pointerToken(method)}`;
        // Once per place: a schema reached by two names (`P: { $ref: p.yaml }` and the
        // component `p` bundling makes of the file) is one property to rename.
        if (findings.has(pointer)) continue;
        findings.set(pointer, {
          rule: 'method-names',
          pointer,
          message: `the property ${method} of ${name} hides the method ${method}() of its objects: their TypeScript type still offers the method, and calling it fails at run time. Rename the property, or call the method through the class (${name}.prototype.${method}.call(object))`,
        });
      }
      for (const member of node.allOf ?? []) visit(member);
    };
    visit(schema);
  }
  return [...findings.values()];
}
