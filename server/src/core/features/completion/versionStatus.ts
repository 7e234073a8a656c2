/**
 * What stands against a version of a service, as completion and hover show it: the advisories on
 * its own package and on the components of its SBOM, after security's VEX decisions (the same
 * answer PB101 gives, from releaseStatus).
 */
import { parsePurl, serviceOrdering, unreadableVersion, type AdvisoryMatch, type VersionOrdering } from '../../advisories/index.js';
import { fallbackOrdering } from '../../advisories/ecosystems/fallback.js';
import type { AdvisorySnapshot } from '../../advisories/snapshot.js';
import type { ServiceModel } from '../../parse/model.js';
import { componentFixes } from '../../releases/componentFixes.js';
import { NO_RELEASE_DATA, releaseStatus, type DecidedMatch, type ReleaseData, type ReleaseStatus, type StandingMatch } from '../../releases/releaseStatus.js';
import { code, phrase } from '../../util/markdownText.js';

export type VersionStatus =
  | { kind: 'safe'; release: ReleaseStatus }
  | { kind: 'affected'; matches: AdvisoryMatch[]; standing: StandingMatch[]; release: ReleaseStatus }
  | { kind: 'unchecked'; why: string };

export function versionStatus(service: ServiceModel, version: string, advisories: AdvisorySnapshot | undefined, releases: ReleaseData = NO_RELEASE_DATA): VersionStatus {
  if (!advisories) return { kind: 'unchecked', why: 'no advisory data is loaded' };
  const release = releaseStatus(service, version, releases, advisories.index);
  if (release.sbomPending) return { kind: 'unchecked', why: 'its SBOM is still being read' };
  if (!release.sbom) {
    if (service.purl === undefined) return { kind: 'unchecked', why: `service \`${service.name}\` names no \`package\` to match advisories on, and this release has no SBOM` };
    const parsed = parsePurl(service.purl);
    if ('problem' in parsed) return { kind: 'unchecked', why: parsed.problem };
    const unreadable = unreadableVersion(parsed.package, version);
    if (unreadable) return { kind: 'unchecked', why: unreadable };
  }
  return release.standing.length ? { kind: 'affected', matches: release.standing.map((s) => s.match), standing: release.standing, release } : { kind: 'safe', release };
}

/** "clear", "2 standing advisories (1 critical)", or "not checked". */
export function statusLabel(status: VersionStatus): string {
  if (status.kind === 'safe') return 'clear';
  if (status.kind === 'unchecked') return 'not checked';
  const ids = new Set(status.matches.map((m) => m.id));
  const bands = (['CRITICAL', 'HIGH'] as const).map((band) => [band, new Set(status.matches.filter((m) => m.severity === band).map((m) => m.id)).size] as const).filter(([, n]) => n > 0);
  const worst = bands.length ? ` (${bands.map(([band, n]) => `${n} ${band.toLowerCase()}`).join(', ')})` : '';
  return `${ids.size} standing advisor${ids.size === 1 ? 'y' : 'ies'}${worst}`;
}

/** Each standing advisory as a markdown list item, naming the component it was found on. */
export function standingMarkdown(standing: readonly StandingMatch[]): string {
  return standing.map(({ match, component }) => (component ? advisoryMarkdown(match, { name: component.name, ...(component.version !== undefined ? { version: component.version } : {}), fixed: componentFixes(match, component) }) : advisoryMarkdown(match))).join('\n');
}

/** What security's VEX statements removed, with the document and the reason. */
export function decidedMarkdown(decided: readonly DecidedMatch[]): string {
  return decided.map(({ match, component, decision }) => {
    const { status, justification, impactStatement } = decision.statement;
    const on = component ? ` on ${phrase(`${component.name}${component.version !== undefined ? ` ${component.version}` : ''}`)}` : '';
    const why = [justification, impactStatement].filter((x) => x !== undefined && x !== '').map((x) => phrase(x!)).join(': ');
    return `- **${phrase(match.id)}**${on}: ${code(status)}${why ? ` (${why})` : ''}, decided in ${code(decision.file)}`;
  }).join('\n');
}

/** The order of the service's own versions: its package's ecosystem, else the loose fallback. */
export function orderingOf(service: ServiceModel): VersionOrdering {
  const parsed = service.purl === undefined ? undefined : parsePurl(service.purl);
  return parsed && 'package' in parsed ? serviceOrdering(parsed.package) : fallbackOrdering;
}

const OSV_ID = /^(GHSA|CVE|PYSEC|GO|RUSTSEC|OSV|MAL|GSD|UVI|BIT|CURL|DSA|DLA|USN|RHSA|SUSE|ALSA)-/;

/** The advisory's page on osv.dev, for ids osv.dev publishes (not in-house ids such as `ACME-2026-0001`); the id is a path segment, so it cannot leave osv.dev. */
function osvLink(id: string): string | undefined {
  return OSV_ID.test(id) ? `https://osv.dev/vulnerability/${encodeURIComponent(id).replace(/[()!*']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}` : undefined;
}


/** One advisory as a markdown list item: id and aliases (linked), the component it is on, severity, summary, fixed versions. */
function advisoryMarkdown(match: AdvisoryMatch, component?: { name: string; version?: string; fixed: string[] }): string {
  const linked = (id: string): string => {
    const url = osvLink(id);
    return url ? `[${phrase(id)}](${url})` : code(id);
  };
  const aliases = match.aliases.length ? ` (${match.aliases.map(linked).join(', ')})` : '';
  const summary = match.summary ? `: ${phrase(match.summary.trim().replace(/\.$/, ''))}` : '';
  // On a component, its own fixes above its version: "Fixed in 2.15.0" beside the service's releases would read as one of them.
  const fixes = component ? component.fixed : match.fixed;
  const fixed = fixes.length ? `${component ? `${phrase(component.name)} is fixed` : 'Fixed'} in ${phrase(fixes.join(', '))}.` : 'No fixed version is known.';
  const on = component ? ` on ${phrase(`${component.name}${component.version !== undefined ? ` ${component.version}` : ''}`)}` : '';
  return `- **${linked(match.id)}**${aliases}${on}, ${phrase(match.severity ?? 'severity unknown')}${summary}. ${fixed}`;
}
