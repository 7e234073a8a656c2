import { nodeRange } from '../parse/yamlNodes.js';
import type { Finding } from '../types.js';
import { report, type RuleDefinition } from './rule.js';
import { sameRelease, versionTargets } from './versionTargets.js';

export const PB108: RuleDefinition = {
  id: 'PB108',
  name: 'unknown-release',
  family: 'advisories',
  defaultSeverity: 'warning',
  summary: "A rollback/deploy version that is not in the service's `releases`.",
  reads: ['steps', 'services'],
  stepLocal: true,
  check({ parsed }) {
    const out: Finding[] = [];
    for (const { step, service, version, versionNode } of versionTargets(parsed)) {
      const known = service.releases.map((r) => r.value);
      if (known.some((r) => sameRelease(r, version))) continue;
      // No "did you mean" here: a version one keystroke away can be a very different (vulnerable) release.
      const message = known.length
        ? `${step.label}: \`${version}\` is not a known release of \`${service.name}\` (${known.map((k) => `\`${k}\``).join(', ')}); pick one of them, or add it to \`releases\` if it exists`
        : `${step.label}: service \`${service.name}\` lists no \`releases\`, so \`${version}\` cannot be checked; add the known releases`;
      out.push(report(PB108, { message, range: nodeRange(versionNode), data: { service: service.name, version }, stepIndex: step.index }));
    }
    return out;
  },
};
