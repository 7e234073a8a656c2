import { nodeRange } from '../parse/yamlNodes.js';
import { NO_RELEASE_DATA, releaseSbom } from '../releases/releaseStatus.js';
import type { Finding } from '../types.js';
import { report, type RuleDefinition } from './rule.js';
import { versionTargets } from './versionTargets.js';

/**
 * A rollback or deploy target with no SBOM (spec section 8), when the policy asks for one
 * (`require-sbom: true`): without it, only the service's own package is checked, never what the
 * release contains. An SBOM the playbook names that cannot be used counts as none (PB110 says why).
 */
export const PB111: RuleDefinition = {
  id: 'PB111',
  name: 'release-without-sbom',
  family: 'advisories',
  defaultSeverity: 'warning',
  summary: 'A rollback/deploy target with no SBOM, when the policy sets `require-sbom: true`.',
  reads: ['steps', 'services', 'releases'],
  stepLocal: true,
  check({ parsed, policy, releases }) {
    if (!policy.requireSbom) return [];
    const out: Finding[] = [];
    for (const { step, service, version, versionNode } of versionTargets(parsed)) {
      const found = releaseSbom(service, version, releases ?? NO_RELEASE_DATA);
      // Still being read (the editor reads it after the first diagnostics): not known to be missing.
      if (found.sbom || found.sbomPending) continue;
      const why = found.sbomProblem ? `its SBOM ${found.sbomProblem.path} cannot be used (${found.sbomProblem.problem})` : 'no SBOM is known for it';
      const verb = step.action === 'deploy' ? 'deploys' : 'rolls back to';
      const message = `${step.label} ${verb} \`${version}\` of \`${service.name}\`, but ${why}, so the components inside that release are not checked against advisories; give the release an \`sbom\`, the service an \`sbom\` template with {version}, or put the SBOM in the policy's \`sboms\` folder`;
      out.push(report(PB111, { message, range: nodeRange(versionNode), data: { service: service.name, version }, stepIndex: step.index }));
    }
    return out;
  },
};
