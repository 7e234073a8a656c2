/** The key or scalar value under an offset in the parsed document, with the keys leading to it. */
import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { ITEM, type Segment } from '../completion/cursorContext.js';

export interface NodeHit {
  role: 'key' | 'value';
  /** The keys from the root to the map holding the key (for a value, the key it belongs to). */
  container: Segment[];
  key: string;
  /** The key node, or the scalar value node. */
  node: Node;
  /** The value is one item of the key's list. */
  listItem: boolean;
  /** Index of the step the node is in, when it is in one. */
  stepIndex?: number;
}

export function nodeAt(doc: Document.Parsed, offset: number): NodeHit | undefined {
  return walk(doc.contents, offset, [], undefined);
}

function inside(node: unknown, offset: number): node is Node {
  const range = (node as Node | null)?.range;
  return !!range && range[0] <= offset && offset < range[1];
}

function walk(node: Node | null, offset: number, path: Segment[], stepIndex: number | undefined): NodeHit | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (inside(pair.key, offset)) return { role: 'key', container: path, key, node: pair.key, listItem: false, stepIndex };
      if (inside(pair.value, offset)) return walk(pair.value, offset, [...path, key], stepIndex);
    }
    return undefined;
  }
  if (isSeq(node)) {
    const isSteps = path.length === 1 && path[0] === 'steps';
    for (const [i, item] of node.items.entries()) {
      if (inside(item, offset)) return walk(item, offset, [...path, ITEM], isSteps ? i : stepIndex);
    }
    return undefined;
  }
  if (isScalar(node) && path.length > 0) {
    const listItem = path.at(-1) === ITEM;
    const key = listItem ? path.at(-2) : path.at(-1);
    if (key === undefined || key === ITEM) return undefined;
    return { role: 'value', container: path.slice(0, listItem ? -2 : -1), key, node, listItem, stepIndex };
  }
  return undefined;
}
