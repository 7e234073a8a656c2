/**
 * How deep aliases nest: an alias to an anchored node that itself holds aliases, and so on. The
 * alias count limit stops wide bombs; this one stops deep chains, which multiply even when each
 * level holds few aliases. Iterative, memoised per anchor: linear in the document.
 */
import { isAlias, isPair, visit, type Document, type Node } from 'yaml';

export function aliasDepth(doc: Document.Parsed): { depth: number; node: Node } | undefined {
  const anchors = new Map<string, Node>();
  visit(doc, {
    Node(_key, node) {
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) anchors.set(anchor, node);
    },
  });
  if (anchors.size === 0) return undefined;
  const memo = new Map<Node, number>();
  let deepest: { depth: number; node: Node } | undefined;
  const depthOf = (root: Node): number => {
    // Depth of the deepest alias chain reachable from `root`, counting each alias it passes.
    const cached = memo.get(root);
    if (cached !== undefined) return cached;
    memo.set(root, 0); // a recursive anchor counts as nothing more on its way back
    let best = 0;
    const stack: unknown[] = [root];
    while (stack.length) {
      const node = stack.pop();
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) best = Math.max(best, 1 + depthOf(target));
      } else if (isPair(node)) {
        stack.push(node.key, node.value);
      } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node).items)) {
        stack.push(...(node as { items: unknown[] }).items);
      }
    }
    memo.set(root, best);
    return best;
  };
  for (const node of anchors.values()) {
    const depth = depthOf(node);
    if (!deepest || depth > deepest.depth) deepest = { depth, node };
  }
  return deepest;
}
