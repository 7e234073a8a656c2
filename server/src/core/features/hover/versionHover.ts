/** Hover on a version of a service: what the advisories say about it. */
import type { ServiceModel } from '../../parse/model.js';
import { decidedMarkdown, standingMarkdown, versionStatus } from '../completion/versionStatus.js';
import type { Analysis } from '../types.js';

/** `step` is true for a version a step names (`to`, `version`), which should be one of the releases. */
export function versionMarkdown(service: ServiceModel, version: string, analysis: Analysis, step: boolean): string {
  const running = version === service.current ? ' (the release running now)' : '';
  const parts = [`**\`${service.name}\` ${version}**${running}`];
  const status = versionStatus(service, version, analysis.advisories, analysis.releases);
  if (status.kind === 'safe') parts.push('No known advisory affects it.');
  else if (status.kind === 'unchecked') parts.push(`Not checked for advisories: ${status.why}.`);
  else parts.push(`Affected by ${status.matches.length === 1 ? 'an advisory' : `${status.matches.length} advisories`}, worst first:\n\n${standingMarkdown(status.standing)}`);
  if (status.kind !== 'unchecked') {
    const { sbom, sbomProblem, decided } = status.release;
    if (sbom) parts.push(`Its SBOM, \`${sbom.path}\`, lists ${sbom.sbom.components.length} components${sbom.sbom.withoutPurl ? ` (${sbom.sbom.withoutPurl} without a package URL, not checked)` : ''}.`);
    else if (sbomProblem) parts.push(`Its SBOM, \`${sbomProblem.path}\`, cannot be used: ${sbomProblem.problem} (PB110).`);
    if (decided.length) parts.push(`Decided by security (VEX):\n\n${decidedMarkdown(decided)}`);
  }
  if (step && !service.releases.some((r) => r.value === version)) parts.push(`Not one of the releases of \`${service.name}\` (PB108).`);
  return parts.join('\n\n');
}
