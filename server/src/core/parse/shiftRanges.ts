/**
 * Moves node positions after an edit, in place, so that an unchanged subtree of the previous parse
 * can stand in the new text. Iterative: deep documents never reach here (they are refused first),
 * but a walk should not depend on that.
 */
import { isPair, type Node } from 'yaml';

/** Adds `delta` to every position at or after `from` in `root`'s subtree (range starts, value ends, node ends). */
export function shiftPositions(root: unknown, from: number, delta: number): void {
  if (delta === 0) return;
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    const range = (node as Node).range;
    if (range) {
      for (let k = 0; k < range.length; k++) if (range[k]! >= from) range[k]! += delta;
    }
    const items = (node as { items?: unknown }).items;
    if (Array.isArray(items)) for (const item of items) stack.push(item);
  }
}
