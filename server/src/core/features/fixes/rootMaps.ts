/**
 * Entries added to the playbook's top-level maps (`owners`, `channels`), creating the map at a
 * sensible place when the playbook has none, indented like the file's other maps.
 */
import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import { findPair, nodeRange } from '../../parse/yamlNodes.js';
import type { TextEdit } from '../types.js';
import type { FixContext } from './fixContext.js';
import { attachedCommentsStart, columnOf, linesAfter, linesAt, lineStart, spaces } from './text.js';
import { addPair, addPairUnderEmptyKey, isFlow, keyStart, pairEnd } from './yamlEdits.js';

/** Where to create a missing map: after the first of `after` that exists, else before `before`, else at the end. */
export interface Placement {
  after: string[];
  before?: string;
}

/** `mapKey.entryKey: value`, in the existing map or in a new one. Undefined when `mapKey` holds something else than a map. */
export function addRootEntry(context: FixContext, mapKey: string, entryKey: string, value: string, place: Placement): TextEdit | undefined {
  const { text } = context;
  const root = context.analysis.parsed.yaml?.contents;
  if (!isMap(root) || isFlow(root)) return undefined;
  const pair = findPair(root, mapKey);
  if (pair) {
    if (isMap(pair.value)) return addPair(text, pair.value, entryKey, value);
    if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) return addPairUnderEmptyKey(text, pair, entryKey, value, indentUnit(text, root));
    return undefined;
  }
  const rootColumn = columnOf(text, keyStart(root.items[0] as Pair));
  const lines = [`${spaces(rootColumn)}${mapKey}:`, `${spaces(rootColumn + indentUnit(text, root))}${entryKey}: ${value}`];
  const after = place.after.map((key) => findPair(root, key)).find((p) => p !== undefined);
  if (after) return linesAfter(text, pairEnd(after), lines);
  const before = place.before === undefined ? undefined : findPair(root, place.before);
  if (before) {
    const previous = root.items[(root.items as unknown[]).indexOf(before) - 1];
    const floor = previous ? nodeRange((previous.value ?? previous.key)).end : 0;
    return linesAt(text, attachedCommentsStart(text, lineStart(text, keyStart(before)), floor), lines);
  }
  return linesAfter(text, nodeRange(root).end, lines);
}

/** The file's indentation step, read from its first nested block map (2 when it has none). */
function indentUnit(text: string, root: YAMLMap): number {
  for (const item of root.items) {
    const value = (item).value;
    if (!isMap(value) || isFlow(value) || !value.items.length) continue;
    const unit = columnOf(text, keyStart(value.items[0] as Pair)) - columnOf(text, keyStart(item));
    if (unit > 0) return unit;
  }
  return 2;
}
