/** The YAML document as plain data for schema validation, with alias expansion bounded (PB008). */
import type { Document, Node } from 'yaml';
import type { Limits } from '../limits.js';
import type { Finding } from '../types.js';
import { firstLineOf, nodeRange } from './yamlNodes.js';

export type PlainData = { value: unknown } | { finding: Finding };

export function toPlainData(doc: Document.Parsed, text: string, limits: Limits): PlainData {
  try {
    return { value: doc.toJS({ maxAliasCount: limits.maxAliasCount }) };
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/\.$/, '') : String(e);
    return {
      finding: {
        ruleId: 'PB008',
        severity: 'error',
        message: `the document cannot be expanded safely (${reason.charAt(0).toLowerCase()}${reason.slice(1)}); use fewer aliases (*name), or raise \`limits.maxAliasCount\` in the policy (now ${limits.maxAliasCount}) if they are really needed`,
        range: firstLineOf(nodeRange(doc.contents as Node | null), text),
        data: { limit: 'maxAliasCount', max: limits.maxAliasCount },
      },
    };
  }
}
