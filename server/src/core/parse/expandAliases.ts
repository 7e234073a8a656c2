/**
 * Resolves YAML aliases (`*name`) and merge keys (`<<`, in `%YAML 1.1` documents) in the parsed
 * tree itself, so that every reader — the schema's plain data, the model, the rules, hover — sees
 * one and the same document. Without this the schema saw `to: *v` as the anchored version while
 * the rules saw nothing, and a vulnerable rollback target, a risky action or a guard could hide
 * behind an alias.
 *
 * Each alias is replaced by a copy of its anchored node whose every position is the alias's own
 * range: a finding about a copied value points where the reader sees it used, and a quick fix that
 * replaces it rewrites the `*name`, never the anchor other uses share. A merge key is replaced by
 * the pairs it brings that the map does not write itself, as YAML 1.1 merges them (explicit keys
 * win; among several sources, the first wins).
 *
 * The walk is iterative and in document order, so an alias always meets its anchor complete and
 * already expanded; an alias inside its own anchor (an infinite document) and an alias to no
 * anchor are PB001 and become null. The copies are bounded by `maxAliasNodes`: past it nothing
 * more is copied and the caller refuses the structure (PB008), so neither wide nor deep alias
 * bombs can cost more than the limit.
 *
 * Written here because eemeli/yaml resolves aliases only when it converts to plain JavaScript
 * (`toJS`), which loses the node ranges every finding and fix needs.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Alias, type Document, type Node, type Pair, type Range, type YAMLMap } from 'yaml';
import type { Finding, OffsetRange } from '../types.js';

export interface AliasExpansion {
  /** PB001 for aliases to no anchor, aliases inside their own anchor and merges of something other than maps. */
  findings: Finding[];
  /** Set when copying would pass `maxAliasNodes`: the tree is then only partly expanded. */
  overBudget?: { at: Range; copied: number };
  /** Whether the tree changed (false: no alias and no merge key in it). */
  changed: boolean;
  /** Where each alias was written: text a fix or rename cannot edit inside (the value lives at the anchor). */
  aliasUses: OffsetRange[];
}

/** Nodes copied from an anchor to an alias's place (so features can tell a value written there from one brought by `*name`). */
const aliasCopies = new WeakSet<object>();

export function isAliasCopy(node: unknown): boolean {
  return typeof node === 'object' && node !== null && aliasCopies.has(node);
}

type Slot = { holder: { items: unknown[] }; index: number } | { pair: Pair; side: 'key' | 'value' } | { doc: Document.Parsed };

interface Frame {
  node: unknown;
  slot: Slot;
  /** Children pushed; on the second visit the node is complete (its merges are applied, its anchor closed). */
  entered: boolean;
}

/** Merge keys (`<<`) mean something only under `%YAML 1.1`. */
export function mergeKeysEnabled(doc: Document.Parsed): boolean {
  return doc.schema.tags.some((tag) => tag.tag === 'tag:yaml.org,2002:merge' && tag.default);
}

export function expandAliases(doc: Document.Parsed, maxAliasNodes: number): AliasExpansion {
  const findings: Finding[] = [];
  const aliasUses: OffsetRange[] = [];
  const anchors = new Map<string, Node>();
  /** Anchored nodes still being walked: an alias to one of them would make the document infinite. */
  const open = new Set<Node>();
  const mergeEnabled = mergeKeysEnabled(doc);
  let copied = 0;
  let changed = false;
  let overBudget: AliasExpansion['overBudget'];

  const stack: Frame[] = [{ node: doc.contents, slot: { doc }, entered: false }];
  while (stack.length && !overBudget) {
    const frame = stack[stack.length - 1]!;
    const { node } = frame;
    if (frame.entered) {
      stack.pop();
      if (isMap(node) && mergeEnabled) changed = applyMerges(node, findings) || changed;
      if (open.has(node as Node)) open.delete(node as Node);
      continue;
    }
    frame.entered = true;
    if (isAlias(node)) {
      stack.pop();
      changed = true;
      aliasUses.push(rangeOf(node));
      const target = anchors.get(node.source);
      const problem = target === undefined ? `\`*${node.source}\` names no anchor (\`&${node.source}\`) written before it` : open.has(target) ? `\`*${node.source}\` refers to the node that holds it, which would make the document infinite` : undefined;
      if (problem) {
        findings.push({ ruleId: 'PB001', severity: 'error', message: `YAML: ${problem}; it is read as empty`, range: rangeOf(node) });
        place(frame.slot, nullAt(node));
        continue;
      }
      const size = countNodes(target!);
      if (copied + size > maxAliasNodes) {
        overBudget = { at: node.range ?? [0, 0, 0], copied: copied + size };
        break;
      }
      copied += size;
      place(frame.slot, copyAt(target!, node));
      continue;
    }
    if (isPair(node)) {
      stack.push({ node: node.value, slot: { pair: node, side: 'value' }, entered: false }, { node: node.key, slot: { pair: node, side: 'key' }, entered: false });
      continue;
    }
    if (!node || typeof node !== 'object') {
      stack.pop();
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) {
      anchors.set(anchor, node as Node);
      open.add(node as Node);
    }
    const items = (node as { items?: unknown }).items;
    if (Array.isArray(items)) {
      for (let i = items.length - 1; i >= 0; i--) stack.push({ node: items[i], slot: { holder: node as { items: unknown[] }, index: i }, entered: false });
    }
  }
  return { findings, changed, aliasUses, ...(overBudget ? { overBudget } : {}) };
}

function place(slot: Slot, node: Node): void {
  if ('holder' in slot) slot.holder.items[slot.index] = node;
  else if ('pair' in slot) slot.pair[slot.side] = node;
  else slot.doc.contents = node as typeof slot.doc.contents;
}

/** A deep copy of `target` (already expanded, so alias-free), every node at the alias's range, anchors dropped. */
function copyAt(target: Node, alias: Alias): Node {
  const copy = target.clone() as Node;
  const range = alias.range ?? [0, 0, 0];
  forEachNode(copy, (n) => {
    n.range = [range[0], range[1], range[2]];
    delete (n as { anchor?: string }).anchor;
    aliasCopies.add(n);
  });
  return copy;
}

function nullAt(alias: Alias): Node {
  const node = new Scalar(null);
  const range = alias.range ?? [0, 0, 0];
  node.range = [range[0], range[1], range[2]];
  aliasCopies.add(node);
  return node;
}

/** Nodes under `root` (pairs excluded): what a copy of it costs. */
function countNodes(root: Node): number {
  let count = 0;
  forEachNode(root, () => count++);
  return count;
}

/** Every node under `root`, itself included (pairs are looked through, not visited). Iterative: nesting cannot overflow the stack. */
function forEachNode(root: Node, visit: (node: Node) => void): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    visit(node as Node);
    const items = (node as { items?: unknown }).items;
    if (Array.isArray(items)) for (const item of items) stack.push(item);
  }
}

/** Replaces each `<<` pair of `map` by the pairs it brings; true when the map had one. */
function applyMerges(map: YAMLMap, findings: Finding[]): boolean {
  if (!map.items.some(isMergePair)) return false;
  const written = new Set<string>();
  for (const pair of map.items) if (!isMergePair(pair)) written.add(keyName(pair.key));
  const items: Pair[] = [];
  for (const pair of map.items) {
    if (!isMergePair(pair)) {
      items.push(pair);
      continue;
    }
    const value = pair.value as Node | null;
    const sources = isSeq(value) ? value.items : [value];
    if (!sources.every((s) => isMap(s))) {
      findings.push({ ruleId: 'PB001', severity: 'error', message: 'YAML: a merge key (`<<`) takes a map or a list of maps (usually `*name`); this one is left out', range: rangeOf(value ?? (pair.key as Node)) });
      continue;
    }
    for (const source of sources) {
      for (const brought of source.items) {
        const name = keyName(brought.key);
        if (written.has(name)) continue;
        written.add(name);
        items.push(brought);
      }
    }
  }
  map.items = items;
  return true;
}

function isMergePair(pair: Pair): boolean {
  const key = pair.key;
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

/** A key as plain data compares it (`1` and `"1"` are one key of a plain object). */
function keyName(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return isMap(key) || isSeq(key) ? JSON.stringify(key.toJSON()) : String(key);
}

function rangeOf(node: Node): { start: number; end: number } {
  const r = node.range;
  return r ? { start: r[0], end: Math.max(r[1], r[0] + 1) } : { start: 0, end: 1 };
}
