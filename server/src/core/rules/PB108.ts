import type { Node } from 'yaml';
import { nodeRange, scalarText } from '../parse/yamlNodes.js';
import type { Finding } from '../types.js';
import { report, type RuleDefinition } from './rule.js';

/** The step field that names a version, per action. */
export const VERSION_FIELD: Readonly<Record<string, string>> = { rollback: 'to', deploy: 'version' };

export const PB108: RuleDefinition = {
  id: 'PB108',
  name: 'unknown-release',
  family: 'advisories',
  defaultSeverity: 'warning',
  summary: "A rollback/deploy version that is not in the service's `releases`.",
  check({ parsed }) {
    const out: Finding[] = [];
    for (const step of parsed.model.steps) {
      const field = step.action ? VERSION_FIELD[step.action] : undefined;
      if (!field) continue;
      const versionNode = step.pairs.get(field)?.value as Node | undefined;
      const version = scalarText(versionNode);
      const serviceName = scalarText(step.pairs.get('service')?.value);
      const service = serviceName === undefined ? undefined : parsed.model.services.get(serviceName);
      if (version === undefined || !service) continue; // PB002 / PB005 report those
      const known = service.releases.map((r) => r.value);
      if (known.some((r) => sameVersion(r, version))) continue;
      // No "did you mean" here: a version one keystroke away can be a very different (vulnerable) release.
      const message = known.length
        ? `${step.label}: \`${version}\` is not a known release of \`${service.name}\` (${known.map((k) => `\`${k}\``).join(', ')}); pick one of them, or add it to \`releases\` if it exists`
        : `${step.label}: service \`${service.name}\` lists no \`releases\`, so \`${version}\` cannot be checked; add the known releases`;
      out.push(report(PB108, { message, range: nodeRange(versionNode), data: { service: service.name, version }, stepIndex: step.index }));
    }
    return out;
  },
};

/** `v1.2.3` and `1.2.3` name the same release. */
function sameVersion(a: string, b: string): boolean {
  const strip = (v: string): string => v.trim().replace(/^v(?=\d)/, '');
  return strip(a) === strip(b);
}
