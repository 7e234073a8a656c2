/** Whether an advisory affects a version of a service, as completion and hover show it. */
import { parsePurl, serviceOrdering, unreadableVersion, type AdvisoryMatch, type VersionOrdering } from '../../advisories/index.js';
import { fallbackOrdering } from '../../advisories/ecosystems/fallback.js';
import type { AdvisorySnapshot } from '../../advisories/snapshot.js';
import type { ServiceModel } from '../../parse/model.js';

export type VersionStatus = { kind: 'safe' } | { kind: 'affected'; matches: AdvisoryMatch[] } | { kind: 'unchecked'; why: string };

export function versionStatus(service: ServiceModel, version: string, advisories: AdvisorySnapshot | undefined): VersionStatus {
  if (!advisories) return { kind: 'unchecked', why: 'no advisory data is loaded' };
  if (service.purl === undefined) return { kind: 'unchecked', why: `service \`${service.name}\` names no \`package\` to match advisories on` };
  const parsed = parsePurl(service.purl);
  if ('problem' in parsed) return { kind: 'unchecked', why: parsed.problem };
  const unreadable = unreadableVersion(parsed.package, version);
  if (unreadable) return { kind: 'unchecked', why: unreadable };
  const matches = advisories.index.lookupPackage(parsed.package, version);
  return matches.length ? { kind: 'affected', matches } : { kind: 'safe' };
}

/** "safe", "GHSA-… CRITICAL, GHSA-… HIGH", or "not checked". */
export function statusLabel(status: VersionStatus): string {
  if (status.kind === 'safe') return 'safe';
  if (status.kind === 'unchecked') return 'not checked';
  return status.matches.map((m) => `${m.id} ${m.severity ?? 'severity unknown'}`).join(', ');
}

/** The order of the service's own versions: its package's ecosystem, else the loose fallback. */
export function orderingOf(service: ServiceModel): VersionOrdering {
  const parsed = service.purl === undefined ? undefined : parsePurl(service.purl);
  return parsed && 'package' in parsed ? serviceOrdering(parsed.package) : fallbackOrdering;
}

const OSV_ID = /^(GHSA|CVE|PYSEC|GO|RUSTSEC|OSV|MAL|GSD|UVI|BIT|CURL|DSA|DLA|USN|RHSA|SUSE|ALSA)-/;

/** The advisory's page on osv.dev, for ids osv.dev publishes (not in-house ids such as `ACME-2026-0001`). */
function osvLink(id: string): string | undefined {
  return OSV_ID.test(id) ? `https://osv.dev/vulnerability/${id}` : undefined;
}

/** Plain text from a record, safe inside markdown. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, '\\$&');
}

/** One advisory as a markdown list item: id and aliases (linked), severity, summary, fixed versions. */
export function advisoryMarkdown(match: AdvisoryMatch): string {
  const linked = (id: string): string => {
    const url = osvLink(id);
    return url ? `[${id}](${url})` : `\`${id}\``;
  };
  const aliases = match.aliases.length ? ` (${match.aliases.map(linked).join(', ')})` : '';
  const summary = match.summary ? `: ${escapeMarkdown(match.summary.trim().replace(/\.$/, ''))}` : '';
  const fixed = match.fixed.length ? `Fixed in ${match.fixed.join(', ')}.` : 'No fixed version is known.';
  return `- **${linked(match.id)}**${aliases}, ${match.severity ?? 'severity unknown'}${summary}. ${fixed}`;
}
