import { parsePurl, safeVersions, type AdvisoryMatch, type SafeVersion } from '../advisories/index.js';
import { nodeRange } from '../parse/yamlNodes.js';
import type { Finding, Severity } from '../types.js';
import { report, type RuleDefinition } from './rule.js';
import { versionTargets, type VersionTarget } from './versionTargets.js';

export const PB101: RuleDefinition = {
  id: 'PB101',
  name: 'vulnerable-release',
  family: 'advisories',
  defaultSeverity: 'error',
  summary: '`rollback.to` or `deploy.version` is affected by an advisory (error for CRITICAL/HIGH, warning otherwise).',
  check({ parsed, advisories }) {
    if (!advisories) return [];
    const out: Finding[] = [];
    for (const target of versionTargets(parsed)) {
      const purl = target.service.purl;
      if (!purl || !('package' in parsePurl(purl))) continue; // PB002 / PB110 explain a missing or unusable purl
      const matches = advisories.index.lookup(purl, target.version);
      if (matches.length === 0) continue;
      // Without `current` there is no "below current" to search: the finding still names the fixed versions.
      const current = target.service.current;
      const safe = current === undefined ? [] : safeVersions({ purl, current, releases: target.service.releases.map((r) => r.value) }, advisories.index, { target: target.version });
      for (const match of matches) out.push(finding(target, match, safe));
    }
    return out;
  },
};

function finding(target: VersionTarget, match: AdvisoryMatch, safe: SafeVersion[]): Finding {
  const { step, service, version } = target;
  const aliases = match.aliases.length ? ` (${match.aliases.join(', ')})` : '';
  const fixed = match.fixed.length ? `fixed in ${match.fixed.join(', ')}` : 'no fixed version is known';
  const instead = safe[0] ? `; use ${safe[0].version} instead (${safe[0].why})` : '';
  const verb = step.action === 'deploy' ? 'deploys' : 'rolls back to';
  return {
    ...report(PB101, {
      message: `${step.label} ${verb} \`${version}\` of \`${service.name}\`, which ${match.id}${aliases} affects, severity ${match.severity ?? 'unknown'}: ${match.summary ?? 'no summary'}; ${fixed}${instead}`,
      range: nodeRange(target.versionNode),
      related: [{ message: `${match.id}: ${match.reason}`, range: { start: 0, end: 0 }, file: match.source }],
      data: { advisory: match.id, aliases: match.aliases, severity: match.severity, service: service.name, version, safeVersions: safe.map((s) => ({ version: s.version, why: s.why, known: s.known })) },
      stepIndex: step.index,
    }),
    severity: severityOf(match),
  };
}

function severityOf(match: AdvisoryMatch): Severity {
  return match.severity === 'CRITICAL' || match.severity === 'HIGH' ? 'error' : 'warning';
}
