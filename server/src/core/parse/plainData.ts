/** The YAML document as plain data for schema validation, and the bound on how many aliases it may expand (PB008). */
import type { Document } from 'yaml';
import type { Limits } from '../limits.js';
import type { Finding } from '../types.js';
import { firstLineOf, nodeRange } from './yamlNodes.js';

export type PlainData = { value: unknown } | { finding: Finding };

/** The plain data of a document whose aliases and merge keys are already resolved in the tree (expandAliases.ts). */
export function toPlainData(doc: Document.Parsed, text: string, limits: Limits): PlainData {
  try {
    return { value: doc.toJS({ maxAliasCount: limits.maxAliasCount }) };
  } catch (e) {
    return { finding: expansionFinding(doc, text, limits, e) };
  }
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
