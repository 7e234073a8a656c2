import { parsePurl, unreadableVersion } from '../advisories/index.js';
import { firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import type { Finding } from '../types.js';
import { report, type RuleDefinition } from './rule.js';
import { versionTargets, type VersionTarget } from './versionTargets.js';

/**
 * PB110 in the playbook: its rollbacks and deploys cannot be checked against advisories, because
 * none are loaded or the service's package cannot be matched. Problems of the advisory data
 * itself are reported on the policy file (see advisories/problemFindings.ts).
 */
export const PB110: RuleDefinition = {
  id: 'PB110',
  name: 'advisory-data',
  family: 'advisories',
  defaultSeverity: 'info',
  summary: 'Advisory data missing or unreadable: no source configured, a broken record, a source that cannot be read.',
  check({ parsed, advisories }) {
    const targets = versionTargets(parsed).filter((t) => t.service.purl);
    if (targets.length === 0) return [];
    const out: Finding[] = [];
    if (!advisories || advisories.index.counts().records === 0) {
      const anchor = parsed.model.services.get(targets[0]!.service.name)?.keyNode;
      out.push(report(PB110, {
        message: 'no advisory records are loaded, so rollbacks and deploys are not checked against known vulnerabilities; put OSV records in `.playbooks/advisories` or name their folder or zip in the policy\'s `advisories`',
        range: firstLineOf(nodeRange(anchor), parsed.text),
      }));
    }
    for (const service of new Set(targets.map((t) => t.service))) {
      const purl = parsePurl(service.purl!);
      if ('problem' in purl) {
        out.push(report(PB110, { message: `service \`${service.name}\`: ${purl.problem}, so advisories cannot be matched to it`, range: nodeRange(service.purlNode) }));
      }
    }
    if (advisories && advisories.index.counts().records > 0) out.push(...uncheckableVersions(targets));
    return out;
  },
};

/**
 * A version its ecosystem refuses (`banana`, `4.17.21.1` for npm) matches no advisory, so PB101
 * stays silent: a warning, since that silence would pass for safe.
 */
function uncheckableVersions(targets: readonly VersionTarget[]): Finding[] {
  const out: Finding[] = [];
  for (const { step, service, version, versionNode } of targets) {
    const purl = parsePurl(service.purl!);
    const why = 'package' in purl ? unreadableVersion(purl.package, version) : undefined;
    if (why === undefined) continue;
    const verb = step.action === 'deploy' ? 'deploys' : 'rolls back to';
    out.push({ ...report(PB110, { message: `${step.label} ${verb} \`${version}\` of \`${service.name}\`: ${why}`, range: nodeRange(versionNode), stepIndex: step.index }), severity: 'warning' });
  }
  return out;
}
