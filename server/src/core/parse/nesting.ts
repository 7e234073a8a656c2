/**
 * Nesting depth of a YAML document, measured without recursion and stopping at the limit: deeper
 * documents must be refused before anything recursive (plain-data conversion, schema validation)
 * touches them, since a stack overflow inside the regular-expression engine is fatal, not an error.
 */
import { isAlias, isPair, type Node } from 'yaml';
import type { OffsetRange } from '../types.js';

export interface TooDeep {
  depth: number;
  range: OffsetRange;
}

/**
 * What one walk of a tree finds: the first node nested deeper than `maxDepth` (the walk stops
 * there), and whether the nodes walked hold an anchor (`&name`) or an alias (`*name`).
 */
export interface TreeShape {
  tooDeep?: TooDeep;
  anchorOrAlias: boolean;
}

export function treeShape(root: unknown, maxDepth: number): TreeShape {
  // Two stacks of plain values rather than one of `{ node, depth }` objects: a playbook has tens of thousands of nodes.
  const nodes: unknown[] = [root];
  const depths: number[] = [0];
  let anchorOrAlias = false;
  while (nodes.length) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (isPair(node)) {
      nodes.push(node.key, node.value);
      depths.push(depth, depth);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    if (!anchorOrAlias && (isAlias(node) || (node as { anchor?: string }).anchor)) anchorOrAlias = true;
    const items = (node as { items?: unknown }).items;
    if (!Array.isArray(items)) continue;
    if (depth + 1 > maxDepth) {
      const range = (node as Node).range;
      return { tooDeep: { depth: depth + 1, range: range ? { start: range[0], end: Math.min(range[1], range[0] + 1) } : { start: 0, end: 0 } }, anchorOrAlias };
    }
    for (const item of items) {
      nodes.push(item);
      depths.push(depth + 1);
    }
  }
  return { anchorOrAlias };
}

export function findTooDeep(root: unknown, maxDepth: number): TooDeep | undefined {
  return treeShape(root, maxDepth).tooDeep;
}

/**
 * A linear estimate of nesting depth from the text alone (flow brackets outside quotes and
 * comments, indentation levels, inline `- ` items), run before the YAML parser: the parser itself
 * recurses once per level, so thousands of levels must never reach it. Approximate by design;
 * callers use a generous cap and let `findTooDeep` apply the exact limit afterwards.
 */
export function estimateTextNesting(text: string, cap: number): { depth: number; offset: number } | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | undefined;
  let lineStart = true;
  let column = 0;
  let lineDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lineStart = true;
      column = 0;
      quote = flow > 0 ? quote : undefined;
      continue;
    }
    if (lineStart) {
      if (c === 32) {
        column++;
        continue;
      }
      lineStart = false;
      if (c === 35) {
        i = nextLineBreak(text, i) - 1; // a comment line
        continue;
      }
      if (flow === 0) {
        while (indents.length && indents[indents.length - 1]! >= column) indents.pop();
        indents.push(column);
        lineDepth = indents.length;
      }
    }
    if (quote) {
      if (c === 92 && quote === '"') i++;
      else if (text[i] === quote) quote = undefined;
      continue;
    }
    if (c === 34 || c === 39) quote = text[i] as '"' | "'";
    else if (c === 35 && i > 0 && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i = nextLineBreak(text, i) - 1;
    else if (c === 91 || c === 123) flow++;
    else if ((c === 93 || c === 125) && flow > 0) flow--;
    else if (c === 45 && flow === 0 && text.charCodeAt(i + 1) === 32) lineDepth++;
    const depth = lineDepth + flow;
    if (depth > cap) return { depth, offset: i };
  }
  return undefined;
}

/**
 * Where the line that holds `from` ends. Walked to the first line break, not searched for each
 * kind: `indexOf('\r')` in a file with no CR scans to the end for every comment, quadratic in a
 * large document (a 5 MB playbook took minutes).
 */
function nextLineBreak(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

/** The longest line, found with native searches (no per-character loop in JavaScript). */
export function longestLine(text: string): { length: number; start: number } {
  let best = { length: 0, start: 0 };
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end - start > best.length) best = { length: end - start, start };
    start = end + 1;
  }
  return best;
}
