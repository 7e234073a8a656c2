/** Hover on a version of a service: what the advisories say about it. */
import { clearOfLoaded } from '../../advisories/index.js';
import type { ServiceModel } from '../../parse/model.js';
import { decidedMarkdown, standingMarkdown, versionStatus } from '../completion/versionStatus.js';
import type { Analysis } from '../types.js';
import { shownText } from './shownText.js';

/** How much data a clear verdict rests on, and that it is only as new as that data. */
const UPDATE_NOTE = 'newer data (`playbook advisories --update`) may change that';

/** `step` is the index of the step that names the version (`to`, `version`), which should be one of the releases. */
export function versionMarkdown(service: ServiceModel, version: string, analysis: Analysis, step?: number): string {
  const shown = shownText(analysis.parsed);
  const running = version === service.current ? ' (the release running now)' : '';
  const parts = [`**${shown.code(service.name)} ${shown.text(version)}**${running}`];
  const status = versionStatus(service, version, analysis.advisories, analysis.releases);
  const records = analysis.advisories?.index.counts().records ?? 0;
  if (status.kind === 'safe') parts.push(`No known advisory affects it. It is ${clearOfLoaded(records)}; ${UPDATE_NOTE}.`);
  else if (status.kind === 'unchecked') parts.push(`Not checked for advisories: ${shown.tool(status.why)}.`);
  else parts.push(`Affected by ${status.matches.length === 1 ? 'an advisory' : `${status.matches.length} advisories`}, worst first:\n\n${standingMarkdown(status.standing)}`);
  if (status.kind === 'affected' && step !== undefined) {
    const instead = suggestion(analysis, step, version);
    if (instead) parts.push(`Instead: **${shown.text(instead.version)}** (${shown.tool(instead.why)}), ${clearOfLoaded(records)}; ${UPDATE_NOTE}.`);
  }
  if (status.kind !== 'unchecked') {
    const { sbom, sbomProblem, decided } = status.release;
    if (sbom) parts.push(`Its SBOM, ${shown.code(sbom.path)}, lists ${sbom.sbom.components.length} components${sbom.sbom.withoutPurl ? ` (${sbom.sbom.withoutPurl} without a package URL, not checked)` : ''}.`);
    else if (sbomProblem) parts.push(`Its SBOM, ${shown.code(sbomProblem.path)}, cannot be used: ${shown.tool(sbomProblem.problem)} (PB110).`);
    if (decided.length) parts.push(`Decided by security (VEX):\n\n${decidedMarkdown(decided)}`);
  }
  if (step !== undefined && !service.releases.some((r) => r.value === version)) parts.push(`Not one of the releases of ${shown.code(service.name)} (PB108).`);
  return parts.join('\n\n');
}

/** The release PB101 suggests in place of the step's version (its quick fix's first choice), if any. */
function suggestion(analysis: Analysis, step: number, version: string): { version: string; why: string } | undefined {
  const finding = analysis.findings.find((f) => f.ruleId === 'PB101' && f.stepIndex === step && f.data?.['version'] === version);
  const [first] = Array.isArray(finding?.data?.['safeVersions']) ? (finding.data['safeVersions'] as unknown[]) : [];
  if (typeof first !== 'object' || first === null) return undefined;
  const { version: safe, why } = first as Record<string, unknown>;
  return typeof safe === 'string' && typeof why === 'string' ? { version: safe, why } : undefined;
}
