/**
 * `playbook releases` as text for a person at a terminal: one block per playbook, in it one per
 * service, one line per release (newest first) and indented lines for its SBOM, the advisories
 * that stand against it (worst first) and what security's VEX decided; a summary line at the end.
 * Every name is made safe for one line (`oneLine`): a newline in a version cannot forge a line.
 */
import { oneLine } from '../../core/index.js';
import type { AdvisoryJson, ComponentJson, DecisionJson, ReleaseJson, ReleasesJson, ReleaseTotals, ServiceJson } from './releasesReport.js';

const FROM: Readonly<Record<NonNullable<ReleaseJson['sbom']>['from'], string>> = {
  release: 'named by the release',
  service: "named by the service's sbom template",
  found: "found in the policy's sboms folder",
};

export function releasesText(report: ReleasesJson): string {
  const blocks = report.playbooks.map((playbook) => [oneLine(playbook.path), ...(playbook.services.length ? playbook.services.flatMap(serviceLines) : ['  no services'])].join('\n'));
  return [...blocks, summary(report.totals)].join('\n\n') + '\n';
}

function serviceLines(service: ServiceJson): string[] {
  // A service with no SBOM at all says so once; one with some says it of each release without.
  const sboms = service.releases.some((r) => r.sbom || r.sbomProblem);
  const head = [
    `  service "${oneLine(service.name)}"`,
    service.package !== undefined ? `package ${oneLine(service.package)}` : 'no package',
    ...(service.current !== undefined ? [`current ${oneLine(service.current)}`] : []),
    ...(!sboms && service.package !== undefined && service.releases.length ? ['no SBOMs (only its own package is checked)'] : []),
  ].join(', ');
  return [head, ...(service.releases.length ? service.releases.flatMap((r) => releaseLines(r, sboms)) : ['    no known releases'])];
}

function releaseLines(release: ReleaseJson, serviceHasSboms: boolean): string[] {
  const lines = [`    ${oneLine(release.version)}${release.current ? ' (current)' : ''}: ${verdict(release)}`];
  const detail = (line: string): number => lines.push(`      ${line}`);
  if (release.sbom) detail(`SBOM ${oneLine(release.sbom.path)} (${FROM[release.sbom.from]})`);
  else if (release.sbomProblem) detail(`SBOM ${oneLine(release.sbomProblem.path)} cannot be used: ${oneLine(release.sbomProblem.problem)}`);
  else if (serviceHasSboms && release.status !== 'not-checked') detail("no SBOM: only the service's own package was checked");
  for (const advisory of release.advisories) detail(advisoryLine(advisory));
  for (const decision of release.decided) detail(decisionLine(decision));
  return lines;
}

function verdict(release: ReleaseJson): string {
  if (release.status === 'clear') return 'clear';
  if (release.status === 'not-checked') return `not checked: ${oneLine(release.why ?? '')}`;
  const ids = new Set(release.advisories.map((a) => a.id)).size;
  const worst = release.advisories[0]?.severity;
  return `affected by ${ids} advisor${ids === 1 ? 'y' : 'ies'}, worst ${worst ?? 'of unknown severity'}`;
}

function advisoryLine(advisory: AdvisoryJson): string {
  const fixed = advisory.fixed.length ? `fixed in ${advisory.fixed.map(oneLine).join(', ')}` : 'no fixed version known';
  const summary = advisory.summary ? `: ${oneLine(advisory.summary.trim())}` : '';
  const vex = advisory.vex ? ` (VEX ${oneLine(advisory.vex.document)}: ${advisory.vex.status}${advisory.vex.actionStatement ? `, ${oneLine(advisory.vex.actionStatement)}` : ''})` : '';
  return `${advisory.severity ?? 'severity unknown'} ${named(advisory)} on ${on(advisory.component)}, ${fixed}${summary}${vex}`;
}

function decisionLine(decision: DecisionJson): string {
  const why = [decision.justification, decision.impactStatement].filter((x): x is string => x !== undefined && x !== '').map(oneLine).join('; ');
  return `decided by VEX: ${named(decision)} on ${on(decision.component)} is ${decision.status}${why ? `: ${why}` : ''} (in ${oneLine(decision.vex)})`;
}

/** `GHSA-… (CVE-…)`. */
function named(advisory: { id: string; aliases: string[] }): string {
  return `${oneLine(advisory.id)}${advisory.aliases.length ? ` (${advisory.aliases.map(oneLine).join(', ')})` : ''}`;
}

function on(component: ComponentJson | undefined): string {
  if (!component) return "the service's own package";
  return oneLine(component.version !== null ? `${component.name}@${component.version}` : component.name);
}

function summary(totals: ReleaseTotals): string {
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${count(totals.services, 'service')}, ${count(totals.releases, 'release')}: ${totals.clear} clear, ${totals.affected} affected, ${totals['not-checked']} not checked`;
}
