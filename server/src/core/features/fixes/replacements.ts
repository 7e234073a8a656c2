/**
 * PB002, PB003, PB004, PB005: the rule already names the replacement (`data.replacement`): a
 * misspelt field or value, a renamed duplicate id, the nearest step, service or channel. The fix
 * writes it in place, in the quoting the original was written in.
 */
import { isMap, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { findPair } from '../../parse/yamlNodes.js';
import type { Finding } from '../../types.js';
import { compact, dataString, quickFix, type FixProvider } from './fixContext.js';
import { replaceScalar } from './scalars.js';

/** The written text of a scalar at a finding's range, without its quotes. */
function written(finding: Finding, text: string): string {
  return text.slice(finding.range.start, finding.range.end).replace(/^(["'])(.*)\1$/s, '$2');
}

function replaceWith(title: (old: string, replacement: string) => string): FixProvider {
  return (finding, { text }) => {
    const replacement = dataString(finding, 'replacement');
    const old = written(finding, text);
    if (replacement === undefined || replacement === old) return [];
    return compact([quickFix(title(old, replacement), finding, [replaceScalar(text, finding.range, replacement)], true)]);
  };
}

const change = (old: string, replacement: string): string => `Change \`${old}\` to \`${replacement}\``;

/** PB002: an unknown field is renamed, unless the map already has the suggested one (YAML forbids the duplicate). */
export const schemaReplacement: FixProvider = (finding, context) => {
  const field = dataString(finding, 'field');
  const replacement = dataString(finding, 'replacement');
  if (field !== undefined && replacement !== undefined) {
    const owner = context.analysis.parsed.yaml && mapOfKeyAt(context.analysis.parsed.yaml, finding.range.start);
    if (!owner || findPair(owner, replacement)) return [];
  }
  return replaceWith(change)(finding, context);
};

export const duplicateIdReplacement: FixProvider = replaceWith((_, id) => `Rename this step to \`${id}\``);
export const unknownReferenceReplacement: FixProvider = replaceWith(change);
export const unknownNameReplacement: FixProvider = replaceWith(change);

function mapOfKeyAt(doc: Document.Parsed, offset: number): YAMLMap | undefined {
  let found: YAMLMap | undefined;
  visit(doc, {
    Pair(_, pair: Pair, path) {
      if ((pair.key as Node | null)?.range?.[0] !== offset) return undefined;
      const parent = path[path.length - 1];
      if (isMap(parent)) found = parent;
      return visit.BREAK;
    },
  });
  return found;
}
