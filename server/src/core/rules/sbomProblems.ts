/**
 * PB110 on the playbook for the SBOMs it names (spec section 8): one that is missing, unreadable,
 * too large or not an SBOM is a warning on the `sbom` that names it, and so is what the SBOM
 * itself holds wrong (purls that are not package URLs, more components than the limit); the
 * components without a package URL are counted in an info. Problems of SBOMs found in the
 * policy's folders and of VEX documents belong to the policy file (advisories/problemFindings.ts).
 */
import type { Node } from 'yaml';
import type { ParsedPlaybook, ServiceModel } from '../parse/model.js';
import { nodeRange } from '../parse/yamlNodes.js';
import { knownVersions, namedSbomPath, releaseSbom, type ReleaseData } from '../releases/releaseStatus.js';
import type { Finding } from '../types.js';
import { oneLine } from '../util/oneLine.js';
import { report, shiftedBy, type RuleDefinition } from './rule.js';

/**
 * Per SBOM data and `services` model: PB110 reads the steps and the time too, so it runs after every
 * keystroke in a step, but these findings change only with the services or the SBOMs. A `services`
 * model outlives an edit only when the edit was outside its block, which moves the block whole
 * (parse/reparseBlock.ts): the findings move with its first service.
 */
const bySbomData = new WeakMap<ReleaseData, WeakMap<ReadonlyMap<string, ServiceModel>, { at: number; findings: readonly Finding[] }>>();

export function namedSbomFindings(rule: Pick<RuleDefinition, 'id' | 'defaultSeverity'>, parsed: ParsedPlaybook, releases: ReleaseData): readonly Finding[] {
  const services = parsed.model.services;
  const at = firstServiceAt(services);
  let byServices = bySbomData.get(releases);
  if (!byServices) bySbomData.set(releases, (byServices = new WeakMap()));
  const kept = byServices.get(services);
  if (kept && at !== undefined) return at === kept.at ? kept.findings : kept.findings.map((f) => shiftedBy(f, at - kept.at));
  const findings = sbomFindings(rule, parsed, releases);
  if (at !== undefined) byServices.set(services, { at, findings });
  return findings;
}

function firstServiceAt(services: ReadonlyMap<string, ServiceModel>): number | undefined {
  const [first] = services.values();
  return first?.keyNode?.range?.[0];
}

function sbomFindings(rule: Pick<RuleDefinition, 'id' | 'defaultSeverity'>, parsed: ParsedPlaybook, releases: ReleaseData): Finding[] {
  const out: Finding[] = [];
  const said = new Set<string>();
  for (const service of parsed.model.services.values()) {
    for (const { version, node } of namedSbomVersions(service)) {
      const path = namedSbomPath(service, version)!;
      const { sbom, sbomProblem } = releaseSbom(service, version, releases);
      const what = `the SBOM of \`${service.name}\` ${version}, ${oneLine(path)}`;
      const range = nodeRange(node);
      if (sbomProblem) {
        out.push({ ...report(rule, { message: `${what}: ${oneLine(sbomProblem.problem)}; its components are not checked`, range }), severity: 'warning' });
        continue;
      }
      // What a file holds wrong is said once, however many releases share it.
      if (!sbom || said.has(path)) continue;
      said.add(path);
      for (const problem of sbom.sbom.problems) out.push({ ...report(rule, { message: `${what}: ${oneLine(problem)}`, range }), severity: 'warning' });
      for (const note of sbom.sbom.notes) out.push(report(rule, { message: `${what}: ${oneLine(note)}`, range }));
    }
  }
  return out;
}

/** Each version whose SBOM the playbook names, with the node that names it (the release's `sbom`, else the service's template). */
function namedSbomVersions(service: ServiceModel): Array<{ version: string; node: Node }> {
  const out: Array<{ version: string; node: Node }> = [];
  for (const version of knownVersions(service)) {
    const own = service.releases.find((r) => r.value === version)?.sbomNode;
    const node = own ?? service.sbomNode;
    if (node) out.push({ version, node });
  }
  return out;
}
