import { isMap, type Node } from 'yaml';
import { findPair, firstLineOf, nodeRange } from '../parse/yamlNodes.js';

import { report, type RuleDefinition } from './rule.js';

export const PB103: RuleDefinition = {
  id: 'PB103',
  name: 'security-owner',
  family: 'security',
  defaultSeverity: 'error',
  summary: '`owners.security` missing.',
  reads: ['document'],
  check({ parsed }) {
    const { yaml, model } = parsed;
    if (!yaml || !model.rootIsMap) return [];
    const owners = model.ownersPair;
    if (owners && isMap(owners.value) && findPair(owners.value, 'security')) return [];
    const ownerKeys = owners && isMap(owners.value) ? owners.value.items.map((p) => String((p.key as { value?: unknown })?.value)) : [];
    const anchor = (owners?.key as Node | undefined) ?? (findPair(yaml.contents, 'playbook')?.key) ?? (yaml.contents as Node);
    return [report(PB103, {
      message: `the playbook names no security owner: add \`owners.security\` (the security team or on-call handle) so security is part of every incident it answers${hintFrom(ownerKeys)}`,
      range: firstLineOf(nodeRange(anchor), parsed.text),
      data: { hasOwners: Boolean(owners) },
    })];
  },
};

function hintFrom(keys: string[]): string {
  const near = keys.find((k) => k !== 'security' && /^sec/i.test(k));
  return near ? `; \`${near}\` is not read as the security owner` : '';
}
