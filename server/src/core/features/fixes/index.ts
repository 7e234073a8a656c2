/** The fix families by rule id, and the fixes of one finding: its rule's, then "suppress for this step". */
import type { Finding } from '../../types.js';
import type { FixAction } from '../types.js';
import { accessGrantFix } from './accessRevoke.js';
import type { FixContext, FixProvider } from './fixContext.js';
import { notifySecurityFix } from './notifySecurity.js';
import { postmortemFix } from './postmortem.js';
import { duplicateIdReplacement, schemaReplacement, unknownNameReplacement, unknownReferenceReplacement } from './replacements.js';
import { safeVersionFix } from './safeVersion.js';
import { securityCheckpointFix } from './securityCheckpoint.js';
import { securityOwnerFix } from './securityOwner.js';
import { suppressFix } from './suppress.js';

const FIXES: Readonly<Record<string, FixProvider>> = {
  PB002: schemaReplacement,
  PB003: duplicateIdReplacement,
  PB004: unknownReferenceReplacement,
  PB005: unknownNameReplacement,
  PB100: securityCheckpointFix,
  PB101: safeVersionFix,
  PB102: notifySecurityFix,
  PB103: securityOwnerFix,
  PB106: accessGrantFix,
  PB107: postmortemFix,
};

/** The rule's own fixes for a finding, best first (the preferred one, if any, is first). */
export function ruleFixes(finding: Finding, context: FixContext): FixAction[] {
  return FIXES[finding.ruleId]?.(finding, context) ?? [];
}

export function findingFixes(finding: Finding, context: FixContext): FixAction[] {
  const suppress = suppressFix(finding, context);
  return suppress ? [...ruleFixes(finding, context), suppress] : ruleFixes(finding, context);
}
