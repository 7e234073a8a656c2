/** Finds the YAML node behind a JSON pointer from ajv, with the key that names it. */
import { isMap, isSeq, type Document, type Node } from 'yaml';
import { findPair } from '../parse/yamlNodes.js';

export interface Located {
  node: Node | undefined;
  /** The key whose value `node` is, when the node sits in a map. */
  key: Node | undefined;
}

export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function locate(doc: Document.Parsed, segments: string[]): Located {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = findPair(node, segment); // a repeated key (PB001): the one the data holds
      if (!pair) return { node: undefined, key: undefined };
      key = pair.key;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
      key = undefined;
    } else {
      return { node: undefined, key: undefined };
    }
  }
  return { node: (node ?? undefined) as Node | undefined, key };
}

/** The key node of `name` inside the map at `segments`, for findings about a key. */
export function locateKey(doc: Document.Parsed, segments: string[], name: string): Node | undefined {
  const parent = locate(doc, segments).node;
  if (!isMap(parent)) return undefined;
  const pair = findPair(parent, name);
  return pair?.key;
}
