/** The YAML document as plain data for schema validation, and the bound on how many aliases it may expand (PB008). */
import { isPair, isScalar, YAMLMap, YAMLSeq, type Document } from 'yaml';
import type { Limits } from '../limits.js';
import type { Finding } from '../types.js';
import { firstLineOf, nodeRange } from './yamlNodes.js';

export type PlainData = { value: unknown } | { finding: Finding };

/**
 * The plain data of a document whose aliases and merge keys are already resolved in the tree
 * (expandAliases.ts). `plain`: the document was written with no anchor, alias or merge key, so
 * its data is read in one walk of the tree (`plainTree`), as `doc.toJS()` would give it.
 */
export function toPlainData(doc: Document.Parsed, text: string, limits: Limits, plain = false): PlainData {
  if (plain) {
    const data = plainTreeData(doc.contents);
    if (data) return data;
  }
  try {
    return { value: doc.toJS({ maxAliasCount: limits.maxAliasCount }) };
  } catch (e) {
    return { finding: expansionFinding(doc, text, limits, e) };
  }
}

/** The data of a tree written with no anchor, alias or merge key, as `doc.toJS()` gives it; undefined when yaml must convert it (see plainTree). */
export function plainTreeData(contents: unknown): { value: unknown } | undefined {
  const value = plainTree(contents);
  return value === NOT_PLAIN ? undefined : { value };
}

const NOT_PLAIN = Symbol('not plain');

/**
 * What `doc.toJS()` gives for a tree with no anchor, alias or merge key, without what yaml's
 * conversion does for every node to handle those (a table of anchors, asking of each key whether
 * it merges): a third of the conversion's time for a large playbook. Scalars give their value as
 * read, maps plain objects (a key's value as a string, `null` as `''`; a key such as `__proto__`
 * or `toString` an own property), lists arrays. NOT_PLAIN for what yaml converts otherwise: a key
 * that is a list or a map, a bare pair inside a list (YAML 1.1's `!!pairs`; `[a: b]` is read as a
 * one-pair map), or a tagged collection (`!!omap`, `!!set`); the caller then asks yaml. Recursive like yaml's: the tree's depth is
 * bounded before this runs (`limits.maxNestingDepth`). Checked against `doc.toJS()` by
 * test/unit/plain-data-properties.test.ts.
 */
function plainTree(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return node.value;
  if (node instanceof YAMLMap && Object.getPrototypeOf(node) === YAMLMap.prototype && !node.tag) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key: unknown = pair.key === null ? null : isScalar(pair.key) ? pair.key.value : NOT_PLAIN;
      if (key === NOT_PLAIN || (typeof key === 'object' && key !== null)) return NOT_PLAIN;
      const value = plainTree(pair.value);
      if (value === NOT_PLAIN) return NOT_PLAIN;
      const name = key === null ? '' : String(key);
      if (name in out) Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true });
      else out[name] = value;
    }
    return out;
  }
  if (node instanceof YAMLSeq && Object.getPrototypeOf(node) === YAMLSeq.prototype && !node.tag) {
    const out: unknown[] = [];
    for (const item of node.items) {
      if (isPair(item)) return NOT_PLAIN;
      const value = plainTree(item);
      if (value === NOT_PLAIN) return NOT_PLAIN;
      out.push(value);
    }
    return out;
  }
  return NOT_PLAIN;
}

/**
 * eemeli/yaml's own guard against alias bombs (`maxAliasCount`: uses of an anchor times the aliases
 * inside it), run on the document as written, before any alias is copied. Other problems
 * (an alias to no anchor, a bad merge) are left to the expansion, which says what they are.
 */
export function aliasCountFinding(doc: Document.Parsed, text: string, limits: Limits): Finding | undefined {
  try {
    doc.toJS({ maxAliasCount: limits.maxAliasCount });
    return undefined;
  } catch (e) {
    return e instanceof ReferenceError && /alias count/i.test(e.message) ? expansionFinding(doc, text, limits, e) : undefined;
  }
}

function expansionFinding(doc: Document.Parsed, text: string, limits: Limits, e: unknown): Finding {
  const reason = e instanceof Error ? e.message.replace(/\.$/, '') : String(e);
  return {
    ruleId: 'PB008',
    severity: 'error',
    message: `the document cannot be expanded safely (${reason.charAt(0).toLowerCase()}${reason.slice(1)}); use fewer aliases (*name), or raise \`limits.maxAliasCount\` in the policy (now ${limits.maxAliasCount}) if they are really needed`,
    range: firstLineOf(nodeRange(doc.contents), text),
    data: { limit: 'maxAliasCount', max: limits.maxAliasCount },
  };
}
