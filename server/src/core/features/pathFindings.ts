/**
 * The findings the flow view can light up: PB100, PB102 and PB106 findings about paths, each on its
 * step, in force or suppressed (with the reason). A finding is about paths when it counts them
 * (`data.pathCount`): PB106's missing `duration` is about the grant alone and has no path to show.
 * The flow view lists exactly these and the code lenses link to them, so a lens never asks the view
 * for a finding it does not have.
 */
import { PATH_RULES } from '../graph/violationPaths.js';
import type { Finding } from '../types.js';
import type { Analysis } from './types.js';

export interface PathFinding {
  finding: Finding;
  /** The flagged step's index. */
  step: number;
  /** Suppressed in the playbook: the suppression's reason. */
  suppressed?: string;
}

/** In force first, then suppressed, each in document order. */
export function pathFindings(analysis: Analysis): PathFinding[] {
  const out: PathFinding[] = [];
  for (const finding of analysis.findings) if (isPathFinding(finding)) out.push({ finding, step: finding.stepIndex! });
  for (const finding of analysis.suppressed) {
    if (isPathFinding(finding)) out.push({ finding, step: finding.stepIndex!, suppressed: finding.suppression.reason ?? 'suppressed' });
  }
  return out;
}

function isPathFinding(finding: Finding): boolean {
  return PATH_RULES.has(finding.ruleId) && finding.stepIndex !== undefined && typeof (finding.data as { pathCount?: unknown } | undefined)?.pathCount === 'number';
}
