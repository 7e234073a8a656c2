/** The fix families by rule id, and the fixes of one finding: its rule's, then "suppress for this step". */
import type { Finding, OffsetRange } from '../../types.js';
import type { FixAction } from '../types.js';
import { accessGrantFix } from './accessRevoke.js';
import { isAliasCopy } from '../../parse/expandAliases.js';
import { stepOf, type FixContext, type FixProvider } from './fixContext.js';
import { notifySecurityFix } from './notifySecurity.js';
import { postmortemFix } from './postmortem.js';
import { duplicateIdReplacement, schemaReplacement, unknownNameReplacement, unknownReferenceReplacement } from './replacements.js';
import { safeVersionFix } from './safeVersion.js';
import { secretReferenceFix } from './secretReference.js';
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
  PB104: secretReferenceFix,
  PB106: accessGrantFix,
  PB107: postmortemFix,
};

/** Fixes that insert or restructure YAML: they rely on a complete syntax tree. */
const STRUCTURAL = new Set(['PB100', 'PB102', 'PB103', 'PB106', 'PB107']);

/**
 * The rule's own fixes for a finding, best first (the preferred one, if any, is first). While the
 * YAML has syntax errors the tree is partial, so only fixes that replace one located value are
 * offered: inserting steps into a misread structure would make the file worse, not better. The
 * same holds for a step written as an alias (`- *name`): it has no text of its own to edit.
 */
export function ruleFixes(finding: Finding, context: FixContext): FixAction[] {
  if (STRUCTURAL.has(finding.ruleId) && (hasSyntaxErrors(context) || isAliasCopy(stepOf(finding, context)?.node))) return [];
  const actions = FIXES[finding.ruleId]?.(finding, context) ?? [];
  const aliases = context.analysis.parsed.aliasUses;
  return aliases ? actions.filter((action) => action.edits.every((edit) => !editsInsideAlias(edit.range, aliases))) : actions;
}

/**
 * An edit that touches an alias (`*name`) without replacing all of it: the value there is a copy
 * of the anchored node, so an insertion into it (a key added to `- *step`) would land after the
 * alias and break the YAML. Replacing the whole alias (a safe version for `to: *v`) is fine.
 */
function editsInsideAlias(range: OffsetRange, aliases: readonly OffsetRange[]): boolean {
  return aliases.some((alias) => range.start <= alias.end && alias.start <= range.end && !(range.start === alias.start && range.end === alias.end));
}

function hasSyntaxErrors(context: FixContext): boolean {
  return context.analysis.parsed.parseFindings.some((f) => f.ruleId === 'PB001' && f.severity === 'error');
}

export function findingFixes(finding: Finding, context: FixContext): FixAction[] {
  const suppress = suppressFix(finding, context);
  return suppress ? [...ruleFixes(finding, context), suppress] : ruleFixes(finding, context);
}
