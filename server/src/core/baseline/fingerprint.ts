/**
 * A finding's key in a baseline: what it is about, never where it happens to be. The fingerprint
 * hashes the rule, the finding's place in the YAML tree (keys and step ids, see structuralPath.ts),
 * whether that place is a key, the flagged text with its blanks folded (re-indenting a script
 * changes nothing) and what the rule says tells its findings apart (PB101: the advisories). No
 * line, column or offset goes in: steps inserted above, a re-indented file and reordered steps
 * keep their keys; a changed flagged value, a renamed step or a new advisory make a new one.
 *
 * Everything is taken from redacted text: a secret PB104 flags is never in a baseline, not even
 * hashed (a hash of a short password can be reversed by trying). The flagged text of a secret is
 * then the redacted scalar around it, so the key still says where it was; the price is that
 * replacing one secret by another in the same place keeps its key.
 */
import type { ParsedPlaybook } from '../parse/model.js';
import { RULES_BY_ID } from '../rules/index.js';
import type { Redact } from '../security/redact.js';
import type { BaselineKey, Finding } from '../types.js';
import { fnv1a64 } from '../util/fnv1a64.js';
import { structuralPath } from './structuralPath.js';

/** Bumped when what the fingerprint covers changes: every entry of an older baseline then reads as new. */
const FINGERPRINT_SCHEME = 'playbook-baseline/1';

/** How much of the flagged text a hint shows. */
const HINT_EXCERPT = 60;

export function baselineKey(parsed: ParsedPlaybook, finding: Finding, redact: Redact): BaselineKey {
  const { path, onKey, scalar } = structuralPath(parsed.yaml?.contents, finding.range);
  const flagged = parsed.text.slice(finding.range.start, finding.range.end);
  const redacted = redact(flagged);
  const around = redacted !== flagged && scalar?.range ? redact(parsed.text.slice(scalar.range[0], scalar.range[1])) : redacted;
  const text = around.replace(/\s+/g, ' ').trim();
  const facts = RULES_BY_ID.get(finding.ruleId)?.baselineFacts?.(finding) ?? [];
  const fingerprint = fnv1a64([FINGERPRINT_SCHEME, finding.ruleId, path, onKey ? 'key' : 'value', text, ...facts].join('\u0000'));
  return { fingerprint, hint: hint(path, text) };
}

/** `steps[roll-back].to: 0.9.0`: enough for a reviewer to recognise the finding in a pull request. */
function hint(path: string, text: string): string {
  const excerpt = text.length > HINT_EXCERPT ? `${text.slice(0, HINT_EXCERPT - 1)}…` : text;
  if (!path) return excerpt || '(the document)';
  return excerpt && excerpt !== path.split('.').at(-1) ? `${path}: ${excerpt}` : path;
}
