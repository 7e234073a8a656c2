/**
 * The policy file "Playbook: Open Policy" creates when there is none: every setting, commented
 * out, with what it does and its default. Written from the policy's JSON Schema (descriptions and
 * defaults), so it cannot drift from what the checks do: uncommenting any line changes nothing
 * until its value is edited (test/unit/default-policy-text.test.ts checks exactly that).
 */
import { stringify } from 'yaml';
import policySchema from '../../../../schemas/policy.schema.json';
import { RULES_BY_ID } from '../rules/index.js';

interface PropertySchema {
  description?: string;
  default?: unknown;
  properties?: Record<string, PropertySchema>;
}

const WIDTH = 100;

/** Example values of the settings that have no default. */
const EXAMPLES: Record<string, string> = { snippets: 'snippets', baseline: 'baseline.json', notify: '{security: {webhook-env: SEC_WEBHOOK_URL}}' };

export function defaultPolicyText(): string {
  const properties = (policySchema as { properties: Record<string, PropertySchema> }).properties;
  const lines = [
    "# The security team's policy for the playbooks in this folder and below.",
    '# Every setting is commented out at its default: uncomment a line and change its value to use it.',
    '# The reference: docs/playbook-format.md, section 5 (also shipped with the extension).',
    'policy: 1',
  ];
  for (const [key, schema] of Object.entries(properties)) {
    if (key === 'policy') continue;
    lines.push('', ...comment(schema.description ?? ''));
    // An example of each, at its default: PB105's own severity; a setting with no default shows an example, said so.
    if (key === 'rules') lines.push('# rules:', `#   PB105: ${RULES_BY_ID.get('PB105')?.defaultSeverity ?? 'error'}`);
    else if (schema.default === undefined && !schema.properties) lines.push(`# ${key}: ${EXAMPLES[key] ?? '…'}    # none by default`);
    else if (schema.properties) {
      lines.push(`# ${key}:`);
      for (const [name, inner] of Object.entries(schema.properties)) lines.push(`#   ${name}: ${value(inner.default)}`);
    } else lines.push(`# ${key}: ${value(schema.default)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One flow-style YAML value on one line (lists as `[a, b]`). */
function value(v: unknown): string {
  return stringify(v, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}

/** The description as comment lines of at most WIDTH characters. */
function comment(text: string): string[] {
  const out: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length + 1 + word.length > WIDTH && line !== '#') {
      out.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  if (line !== '#') out.push(line);
  return out;
}
