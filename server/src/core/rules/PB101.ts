import { clearOfLoaded, parsePurl, safeVersions, type AdvisoryIndex, type AdvisoryMatch, type SafeVersion } from '../advisories/index.js';
import { componentFixedText } from '../releases/componentFixes.js';
import { nodeRange } from '../parse/yamlNodes.js';
import { isClear, NO_RELEASE_DATA, releaseProduct, releaseStatus, type ReleaseData, type ReleaseStatus, type StandingMatch } from '../releases/releaseStatus.js';
import type { VexDecision } from '../releases/vexDecisions.js';
import type { Finding, RelatedLocation, Severity } from '../types.js';
import { report, type RuleDefinition } from './rule.js';
import { versionTargets, type VersionTarget } from './versionTargets.js';

export const PB101: RuleDefinition = {
  id: 'PB101',
  name: 'vulnerable-release',
  family: 'advisories',
  defaultSeverity: 'error',
  summary: '`rollback.to` or `deploy.version` is affected by an advisory, on its own package or on a component its SBOM lists (error for CRITICAL/HIGH, warning otherwise).',
  reads: ['steps', 'services', 'advisories', 'releases'],
  stepLocal: true,
  check({ parsed, advisories, releases }) {
    if (!advisories) return [];
    const data = releases ?? NO_RELEASE_DATA;
    const out: Finding[] = [];
    for (const target of versionTargets(parsed)) {
      const status = releaseStatus(target.service, target.version, data, advisories.index);
      const own = target.service.purl !== undefined && 'package' in parsePurl(target.service.purl);
      if (!own && !status.sbom) continue; // PB002 / PB110 explain a missing or unusable purl or SBOM
      if (status.standing.length === 0 && status.decided.length === 0) continue;
      const safe = safeFor(target, data, advisories.index);
      for (const standing of status.standing) if (!standing.component) out.push(ownFinding(target, status, standing, safe));
      const components = status.standing.filter((s) => s.component);
      if (components.length) out.push(componentsFinding(target, status, components, safe));
      for (const decided of status.decided) out.push(decidedFinding(target, decided, decided.component ? componentsFinding(target, status, [decided], safe) : ownFinding(target, status, decided, safe)));
    }
    return out;
  },
  // A release an advisory newly affects is a new finding, even where a baseline lists the same version for older ones.
  baselineFacts: ({ data }) => {
    const ids = new Set<string>();
    if (typeof data?.['advisory'] === 'string') ids.add(data['advisory']);
    for (const component of Array.isArray(data?.['components']) ? (data['components'] as Array<{ advisories?: unknown }>) : []) {
      for (const id of Array.isArray(component.advisories) ? component.advisories : []) if (typeof id === 'string') ids.add(id);
    }
    return [...ids].sort();
  },
};

/** Releases to suggest instead, best first, and how many records they were checked against; with SBOMs and VEX, a suggestion's own package and every component must be clear. */
interface Suggestions {
  safe: SafeVersion[];
  records: number;
}

function safeFor(target: VersionTarget, data: ReleaseData, index: AdvisoryIndex): Suggestions {
  const { service, version } = target;
  const records = index.counts().records;
  if (service.current === undefined || service.purl === undefined) return { safe: [], records };
  const clear = (v: string): boolean => isClear(releaseStatus(service, v, data, index));
  return { safe: safeVersions({ purl: service.purl, current: service.current, releases: service.releases.map((r) => r.value) }, index, { target: version, clear }), records };
}

const aliasText = (match: AdvisoryMatch): string => (match.aliases.length ? ` (${match.aliases.join(', ')})` : '');
const fixedText = (match: AdvisoryMatch): string => (match.fixed.length ? `fixed in ${match.fixed.join(', ')}` : 'no fixed version is known');

const insteadText = ({ safe, records }: Suggestions): string => (safe[0] ? `; use ${safe[0].version} instead (${safe[0].why}; ${clearOfLoaded(records)})` : '');
const verbOf = (target: VersionTarget): string => (target.step.action === 'deploy' ? 'deploys' : 'rolls back to');

/** What a VEX statement that kept the finding adds: security is still looking, or what it says to do. */
function decisionNote(decision: VexDecision | undefined): string {
  if (!decision) return '';
  const { status, actionStatement } = decision.statement;
  if (status === 'under_investigation') return '; security is investigating it (VEX: under_investigation)';
  if (status === 'affected') return `; security confirms it applies (VEX: affected)${actionStatement ? `: ${actionStatement}` : ''}`;
  return '';
}

/** The advisory's record, at the `affected` entry (the range of it) that matched when its text gave positions. */
function advisoryRelated(match: AdvisoryMatch): RelatedLocation {
  return { message: `${match.id}: ${match.reason}`, range: { start: 0, end: 0 }, file: match.source, ...(match.position ? { position: match.position } : {}) };
}

/** The suggestions for the quick fix, and the records they were checked against (its title says how many). */
function safeData({ safe, records }: Suggestions): { safeVersions: unknown[]; advisoryRecords: number } {
  return { safeVersions: safe.map((s) => ({ version: s.version, why: s.why, known: s.known })), advisoryRecords: records };
}

/** What security needs to record a VEX decision on each advisory of a finding: the release as a product, and per advisory its ids and component. */
function decisionData(target: VersionTarget, status: ReleaseStatus, matches: readonly StandingMatch[]): Record<string, unknown> {
  const product = releaseProduct(target.service, target.version, status);
  if (product === undefined) return {};
  return { release: product, decisions: matches.map(({ match, component }) => ({ advisory: match.id, aliases: match.aliases, ...(component?.purl !== undefined ? { component: component.purl, componentName: componentName(component) } : {}) })) };
}

function ownFinding(target: VersionTarget, status: ReleaseStatus, { match, decision }: StandingMatch, safe: Suggestions): Finding {
  const { step, service, version } = target;
  return {
    ...report(PB101, {
      message: `${step.label} ${verbOf(target)} \`${version}\` of \`${service.name}\`, which ${match.id}${aliasText(match)} affects, severity ${match.severity ?? 'unknown'}: ${match.summary ?? 'no summary'}; ${fixedText(match)}${decisionNote(decision)}${insteadText(safe)}`,
      range: nodeRange(target.versionNode),
      related: [advisoryRelated(match)],
      data: { advisory: match.id, aliases: match.aliases, severity: match.severity, ...cvssData([match]), service: service.name, version, ...safeData(safe), ...decisionData(target, status, [{ match }]) },
      stepIndex: step.index,
    }),
    severity: severityOf(match),
  };
}

/**
 * One finding for every advisory on the components of the target release (spec section 8): the
 * worst first in the message, how many more, and each component (at its line in the SBOM) and
 * each advisory as a related location.
 */
function componentsFinding(target: VersionTarget, status: ReleaseStatus, matches: StandingMatch[], safe: Suggestions): Finding {
  const { step, service, version } = target;
  const [worst] = matches as [StandingMatch, ...StandingMatch[]];
  const component = worst.component!;
  const sbomFile = status.sbom?.file ?? '';
  const components = new Set(matches.map((m) => m.component!));
  const more = matches.length - 1;
  const moreText = more === 0 ? '' : `; and ${more} more advisor${more === 1 ? 'y' : 'ies'}${components.size > 1 ? ` on ${components.size} components` : ''}`;
  const related: RelatedLocation[] = [];
  for (const c of components) {
    const ids = matches.filter((m) => m.component === c).map((m) => m.match.id);
    related.push({ message: `${componentName(c)} in the SBOM: ${ids.join(', ')}`, range: { start: 0, end: 0 }, file: sbomFile, position: c.position });
  }
  const advisories = new Map(matches.map(({ match }) => [match.id, match]));
  for (const match of advisories.values()) related.push(advisoryRelated(match));
  return {
    ...report(PB101, {
      message: `${step.label} ${verbOf(target)} \`${version}\` of \`${service.name}\`, whose SBOM lists ${componentName(component)}, which ${worst.match.id}${aliasText(worst.match)} affects, severity ${worst.match.severity ?? 'unknown'}: ${worst.match.summary ?? 'no summary'}; ${componentFixedText(worst.match, component)}${decisionNote(worst.decision)}${moreText}${insteadText(safe)}`,
      range: nodeRange(target.versionNode),
      related,
      data: {
        advisory: worst.match.id,
        aliases: worst.match.aliases,
        severity: worst.match.severity,
        ...cvssData(matches.filter((m) => m.match.severity === worst.match.severity).map((m) => m.match)),
        service: service.name,
        version,
        sbom: sbomFile,
        components: [...components].map((c) => ({ purl: c.purl, advisories: matches.filter((m) => m.component === c).map((m) => m.match.id) })),
        ...safeData(safe),
        ...decisionData(target, status, matches),
      },
      stepIndex: step.index,
    }),
    severity: severityOf(worst.match),
  };
}

/** A finding security's VEX statement removed: kept for `--show-suppressed`, SARIF `suppressions` and hover. */
function decidedFinding(target: VersionTarget, { decision }: StandingMatch & { decision: VexDecision }, finding: Finding): Finding {
  const { status, justification, impactStatement } = decision.statement;
  const why = [status, justification, impactStatement].filter((part) => part !== undefined && part !== '').join(': ');
  return { ...finding, stepIndex: target.step.index, external: { file: decision.file, reason: why } };
}

/** The highest CVSS base score among advisories of one severity, when any gives one: how bad within the band (SARIF's security-severity). */
function cvssData(matches: readonly AdvisoryMatch[]): { cvssScore?: number } {
  const scores = matches.flatMap((m) => (m.cvssScore === undefined ? [] : [m.cvssScore]));
  return scores.length ? { cvssScore: Math.max(...scores) } : {};
}

function componentName(component: { name: string; version?: string; purl?: string }): string {
  return `${component.name}${component.version !== undefined ? ` ${component.version}` : ''}`;
}

function severityOf(match: AdvisoryMatch): Severity {
  return match.severity === 'CRITICAL' || match.severity === 'HIGH' ? 'error' : 'warning';
}
