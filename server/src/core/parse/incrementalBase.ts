/**
 * Whether a fresh parse can serve as the base of later incremental ones (reparse.ts), and how: the
 * columns of the block `steps:` list. Anything an incremental re-parse cannot prove local (anchors,
 * directives, a flow root or list, parse findings) gives none.
 */
import { isMap, isSeq, type Node } from 'yaml';
import type { Limits } from '../limits.js';
import type { IncrementalBase, ParsedPlaybook } from './model.js';
import { findPair } from './yamlNodes.js';

export function incrementalBase(parsed: ParsedPlaybook, limits: Limits, hasAnchors: boolean): IncrementalBase | undefined {
  const { yaml, text } = parsed;
  if (!yaml || hasAnchors || parsed.parseFindings.length || !isMap(yaml.contents) || yaml.contents.flow) return undefined;
  const stepsPair = findPair(yaml.contents, 'steps');
  const seq = stepsPair?.value;
  if (!isSeq(seq) || seq.flow || !seq.range || seq.items.length === 0) return undefined;
  if (/^%/m.test(text.slice(0, yaml.contents.range?.[0] ?? 0))) return undefined; // directives may change how scalars resolve
  const keyStart = (stepsPair?.key as Node | undefined)?.range?.[0];
  if (keyStart === undefined) return undefined;
  const columnOf = (offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  return { limits, keyIndent: columnOf(keyStart), seqIndent: columnOf(seq.range[0]), consumed: false };
}
