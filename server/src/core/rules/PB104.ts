/**
 * PB104: a secret written in plain text anywhere in the playbook — values, keys and comments alike,
 * since a comment leaks a secret just as well. Scans the source text of each scalar so that every
 * range lands exactly on the secret, in quoted and block scalars too.
 */
import { isScalar } from 'yaml';
import type { StepModel } from '../parse/model.js';
import { findSecrets, isPlaceholder, MAY_HOLD_SECRET, secretKeyLabel, type SecretMatch } from '../security/secretPatterns.js';
import { commentSpans, contentRange, scalarSpans, scannableSource, stepIndexAt, type TextSpan } from '../security/scalars.js';
import type { ParsedPlaybook } from '../parse/model.js';
import type { Finding, OffsetRange } from '../types.js';
import { report, type RuleDefinition } from './rule.js';

export const PB104: RuleDefinition = {
  id: 'PB104',
  name: 'plain-text-secret',
  family: 'security',
  defaultSeverity: 'error',
  summary: 'What looks like a secret in plain text (cloud keys, tokens, private keys, `password=`) in any string or comment.',
  check({ parsed }) {
    const steps = parsed.model.steps;
    const out: Finding[] = [];
    for (const span of secretCandidateSpans(parsed)) {
      const hits = findSecrets(scannableSource(span.source, span.node)).map((m) => ({ ...m, start: m.start + span.range.start, end: m.end + span.range.start }));
      const keyed = keyedSecret(span, steps);
      if (keyed && !hits.some((h) => h.start < keyed.end && keyed.start < h.end)) hits.push(keyed);
      for (const hit of hits) {
        const stepIndex = stepIndexAt(steps, hit.start);
        const step = stepIndex === undefined ? undefined : steps[stepIndex];
        out.push(report(PB104, {
          message: messageFor(hit, span, step),
          range: { start: hit.start, end: hit.end },
          data: { kind: hit.id },
          ...(stepIndex !== undefined && { stepIndex }),
        }));
      }
    }
    return out;
  },
};

/**
 * Every scalar, and the comments when one of them could hold a secret: lexing the whole text for
 * comments costs more than all the patterns, and most playbooks have no comment worth scanning.
 */
function secretCandidateSpans(parsed: ParsedPlaybook): TextSpan[] {
  if (!parsed.yaml) return [];
  const comments = anyCommentMayHoldSecret(parsed.text) ? commentSpans(parsed.text) : [];
  return [...scalarSpans(parsed), ...comments].sort((a, b) => a.range.start - b.range.start);
}

function anyCommentMayHoldSecret(text: string): boolean {
  for (let hash = text.indexOf('#'); hash !== -1; hash = text.indexOf('#', hash + 1)) {
    const end = text.indexOf('\n', hash);
    if (MAY_HOLD_SECRET.test(text.slice(hash, end === -1 ? text.length : end))) return true;
  }
  return false;
}

/**
 * A YAML pair whose key names a secret (`password: hunter2`, `db_token: …`): its value is the
 * secret, unless it is a placeholder or a reference. The `secret` field of a `rotate-secret` step
 * is exempt: by contract it holds the *name* of the secret to rotate (`payments/stripe-key`).
 */
function keyedSecret(span: TextSpan, steps: readonly StepModel[]): SecretMatch | undefined {
  if (span.kind !== 'value' || !span.pair || !isScalar(span.pair.key)) return undefined;
  const kind = secretKeyLabel(String(span.pair.key.value));
  if (!kind) return undefined;
  const range: OffsetRange = contentRange(span);
  const value = span.source.slice(range.start - span.range.start, range.end - span.range.start);
  if (isPlaceholder(value)) return undefined;
  const stepIndex = stepIndexAt(steps, span.range.start);
  const step = stepIndex === undefined ? undefined : steps[stepIndex];
  if (step?.action === 'rotate-secret' && step.pairs.get('secret') === span.pair) return undefined;
  return { id: kind.id, label: kind.label, start: range.start, end: range.end, secret: value };
}

/** Never the secret itself: at most its first 4 characters, and only when they are the provider's public prefix. */
function preview(hit: SecretMatch): string {
  return hit.preview && hit.secret.length >= 16 ? ` (\`${hit.secret.slice(0, 4)}…\`)` : '';
}

function messageFor(hit: SecretMatch, span: TextSpan, step: StepModel | undefined): string {
  const where = step ? `${step.label}: ` : '';
  const looks = span.kind === 'comment' ? 'this comment holds what looks like' : 'this looks like';
  return `${where}${looks} ${hit.label}${preview(hit)} in plain text; a secret must not live in the playbook: ` +
    'rotate it now (anyone who can read this file or its history has it) and reference it from the secret store instead, ' +
    'as `${NAME}` or `{{ vault:path }}`';
}
