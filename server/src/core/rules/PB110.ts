import { advisoryAges, ageText, type SourceAge } from '../advisories/advisoryAge.js';
import { parsePurl, unreadableVersion } from '../advisories/index.js';
import type { AdvisorySnapshot } from '../advisories/snapshot.js';
import { firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import { DEFAULT_ADVISORIES_MAX_AGE, type AgeLimit } from '../policy/policy.js';
import type { Finding, OffsetRange } from '../types.js';
import { oneLine } from '../util/oneLine.js';
import { report, type RuleDefinition } from './rule.js';
import { namedSbomFindings } from './sbomProblems.js';
import { versionTargets, type VersionTarget } from './versionTargets.js';

/**
 * PB110 in the playbook: its rollbacks and deploys cannot be checked against advisories, because
 * none are loaded or the service's package cannot be matched, or only against advisories older
 * than the policy's `advisories-max-age` (judged only when the adapter passes the time). Problems of the advisory data
 * itself are reported on the policy file (see advisories/problemFindings.ts).
 */
export const PB110: RuleDefinition = {
  id: 'PB110',
  name: 'advisory-data',
  family: 'advisories',
  defaultSeverity: 'info',
  summary: 'Advisory, SBOM or VEX data missing, unreadable or old: no source configured, a broken record, SBOM or VEX document, a source that cannot be read, components without a package URL, data older than the policy\'s advisories-max-age.',
  reads: ['steps', 'services', 'advisories', 'releases', 'now'],
  check({ parsed, advisories, policy, now, releases }) {
    const sboms = releases ? namedSbomFindings(PB110, parsed, releases) : [];
    const targets = versionTargets(parsed).filter((t) => t.service.purl);
    if (targets.length === 0) return [...sboms];
    const out: Finding[] = [...sboms];
    const anchor = firstLineOf(nodeRange(parsed.model.services.get(targets[0]!.service.name)?.keyNode), parsed.text);
    if (!advisories || advisories.index.counts().records === 0) {
      out.push(report(PB110, {
        message: 'no advisory records are loaded, so rollbacks and deploys are not checked against known vulnerabilities; put OSV records in `.playbooks/advisories` or name their folder or zip in the policy\'s `advisories`',
        range: anchor,
      }));
    } else if (now) {
      out.push(...ageFindings(advisories, policy.advisoriesMaxAge, now, anchor));
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
 * Old data passes for checked: a rollback found clean against last month's advisories may be hit
 * by one published since. One finding names the oldest source; a source dated in the future has
 * an age nobody can tell, so it is named too rather than counted fresh.
 */
function ageFindings(advisories: AdvisorySnapshot, limit: AgeLimit | undefined, now: Date, range: OffsetRange): Finding[] {
  const effective = limit ?? DEFAULT_ADVISORIES_MAX_AGE;
  const ages = advisoryAges(advisories.sources, effective, now);
  const out: Finding[] = [];
  const [oldest, ...others] = ages.stale;
  if (oldest) {
    const maxAge = effective.written;
    const more = others.length ? ` (${others.length} more source${others.length === 1 ? ' is' : 's are'} older than ${maxAge} too)` : '';
    const what = oldest.basis === 'fetched'
      ? `${sourceName(oldest)} was last fetched on ${day(oldest.date)}${more}, and the policy's \`advisories-max-age\` is ${maxAge}; run \`playbook advisories --update\` (in the editor: Playbook: Update Advisories)`
      : `the newest record in ${sourceName(oldest)} was modified on ${day(oldest.date)}${more}, and the policy's \`advisories-max-age\` is ${maxAge}; update the records (or raise \`advisories-max-age\` for records that seldom change), and fetch OSV's with \`playbook advisories --update\``;
    out.push(report(PB110, { message: `advisories are ${ageText(oldest.ageMs)} old: ${what}`, range }));
  }
  for (const source of ages.future) {
    const what = source.basis === 'fetched' ? `its last fetch is dated ${source.date}, in the future; run \`playbook advisories --update\` to fetch it again` : `its newest record's \`modified\` is ${source.date}, in the future; correct that record's date`;
    out.push(report(PB110, { message: `how old the advisories in ${sourceName(source)} are cannot be told: ${oneLine(what)}`, range }));
  }
  return out;
}

function sourceName(source: SourceAge): string {
  return `\`${oneLine(source.entry)}\``;
}

/** The day of an ISO date-time (what a person compares with a calendar); any other form as it is. */
function day(date: string): string {
  return oneLine(/^\d{4}-\d{2}-\d{2}T/.test(date) ? date.slice(0, 10) : date);
}

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
