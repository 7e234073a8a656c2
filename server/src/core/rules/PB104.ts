/**
 * PB104: a secret written in plain text anywhere in the playbook — values, keys and comments alike,
 * since a comment leaks a secret just as well. Scans the source text of each scalar so that every
 * range lands exactly on the secret, in quoted and block scalars too.
 *
 * Steps are scanned one by one and their findings remembered per step node: after an edit inside one
 * step, the incremental parse keeps every other step's node, so only the edited step is scanned again.
 */
import { isScalar, type Node, type Scalar } from 'yaml';
import type { ParsedPlaybook, StepModel } from '../parse/model.js';
import { findSecrets, isPlaceholder, MAY_HOLD_SECRET, secretKeyLabel, type SecretMatch } from '../security/secretPatterns.js';
import { commentSpans, contentRange, scalarSpansUnder, scannableSource, type TextSpan } from '../security/scalars.js';
import type { Finding, OffsetRange } from '../types.js';
import { report, shiftedBy, type RuleDefinition } from './rule.js';

export const PB104: RuleDefinition = {
  id: 'PB104',
  name: 'plain-text-secret',
  family: 'security',
  defaultSeverity: 'error',
  summary: 'What looks like a secret in plain text (cloud keys, tokens, private keys, `password=`) in any string or comment.',
  reads: ['document'],
  check({ parsed }) {
    return plainTextSecrets(parsed).map((s) => s.finding);
  },
  // The kind of secret (never the secret: the baseline sees its place redacted).
  baselineFacts: ({ data }) => (typeof data?.['kind'] === 'string' ? [data['kind']] : []),
};

/** One PB104 finding, with the scalar the secret is written in (none for a comment). */
export interface PlainTextSecret {
  finding: Finding;
  node?: Scalar;
  /** The secret as YAML reads it, when only the decoded value shows it (the finding then covers the whole scalar). */
  decoded?: string;
}

/**
 * Everything PB104 flags, whatever the policy or a suppression says about showing it: the rule's
 * findings, and what every output redacts (security/redact.ts). Once per parse.
 */
export function plainTextSecrets(parsed: ParsedPlaybook): PlainTextSecret[] {
  const known = byParse.get(parsed);
  if (known) return known;
  const out: PlainTextSecret[] = [];
  if (parsed.yaml) {
    for (const step of parsed.model.steps) for (const s of stepSecrets(step, parsed.text)) out.push(s);
    for (const s of spanSecrets(outsideStepSpans(parsed), undefined)) out.push(s);
    out.sort((a, b) => a.finding.range.start - b.finding.range.start || a.finding.range.end - b.finding.range.end);
  }
  byParse.set(parsed, out);
  return out;
}

const byParse = new WeakMap<ParsedPlaybook, PlainTextSecret[]>();

interface Remembered {
  index: number;
  label: string;
  /** Where the step started when scanned; findings move with it. */
  start: number;
  secrets: PlainTextSecret[];
}

/** Per step node: a node is never changed, only moved (see reparse.ts), so its findings only move. */
const byStepNode = new WeakMap<Node, Remembered>();

function stepSecrets(step: StepModel, text: string): PlainTextSecret[] {
  const start = step.node.range?.[0];
  if (start === undefined) return [];
  const remembered = byStepNode.get(step.node);
  if (remembered && remembered.index === step.index && remembered.label === step.label) {
    const by = start - remembered.start;
    return by === 0 ? remembered.secrets : remembered.secrets.map((s) => ({ ...s, finding: shiftedBy(s.finding, by) }));
  }
  const region = stepRegion(step, text);
  const secrets = cannotHoldSecret(text.slice(region.lineStart, region.end)) ? [] : scanStep(step, text, region);
  byStepNode.set(step.node, { index: step.index, label: step.label, start, secrets });
  return secrets;
}

/** Where a step's text lies: from its `- ` (`start`), from the start of that line (`lineStart`), to its end. */
export interface StepRegion {
  start: number;
  lineStart: number;
  end: number;
}

export function stepRegion(step: StepModel, text: string): StepRegion {
  const [start, , end] = step.node.range!;
  return { start, lineStart: text.lastIndexOf('\n', start - 1) + 1, end };
}

/** Every secret of one step, read scalar by scalar (keys included) and comment by comment. */
export function scanStep(step: StepModel, text: string, { start, lineStart, end }: StepRegion): PlainTextSecret[] {
  const spans = scalarSpansUnder(step.node, text);
  if (mayHoldSecretInComment(text, lineStart, end)) spans.push(...commentSpans(text, lineStart, end).filter((c) => c.range.start >= start));
  return spanSecrets(spans, step);
}

/**
 * Whether the text of a step, as written, shows that none of its scalars, keys or comments can hold
 * a secret, so that they need not be read one by one (most steps). Every secret pattern, secret key
 * name and keyword needs one of the literals of MAY_HOLD_SECRET, so a step's text without any has
 * none as written. What YAML reads can differ from what is written only through an escape (`\x70ass`,
 * an escaped line break joining two words: a backslash) or an alias (`*name` brings text written
 * elsewhere); a step with either is read scalar by scalar. Quotes, folding and block indentation
 * only remove characters or turn line breaks into spaces: they cannot join two words into a keyword.
 */
export function cannotHoldSecret(stepText: string): boolean {
  return !/[\\*]/.test(stepText) && !MAY_HOLD_SECRET.test(stepText);
}

/** Scalars outside the steps, and comments in the text around them (head, between steps, tail). */
function outsideStepSpans(parsed: ParsedPlaybook): TextSpan[] {
  const { text } = parsed;
  const steps = parsed.model.steps;
  const spans = scalarSpansUnder(parsed.yaml?.contents, text, new Set(steps.map((s) => s.node)));
  const regions: OffsetRange[] = [];
  let from = 0;
  for (const step of steps) {
    const range = step.node.range;
    if (!range) continue;
    regions.push({ start: from, end: text.lastIndexOf('\n', range[0] - 1) + 1 });
    from = range[2];
  }
  regions.push({ start: from, end: text.length });
  for (const { start, end } of regions) if (end > start && mayHoldSecretInComment(text, start, end)) spans.push(...commentSpans(text, start, end));
  return spans;
}

function spanSecrets(spans: readonly TextSpan[], step: StepModel | undefined): PlainTextSecret[] {
  const out: PlainTextSecret[] = [];
  for (const span of spans) {
    const found = findSecrets(scannableSource(span.source, span.node));
    const decoded = decodedSecrets(span);
    const keyed = keyedSecret(span, step);
    if (found.length === 0 && decoded.length === 0 && !keyed) continue; // nearly every scalar: nothing to build
    const hits = found.map((m) => ({ ...m, start: m.start + span.range.start, end: m.end + span.range.start }));
    const decodedHits = new Set(decoded.filter((hit) => !hits.some((h) => h.id === hit.id)));
    hits.push(...decodedHits);
    if (keyed && !hits.some((h) => h.start < keyed.end && keyed.start < h.end)) hits.push(keyed);
    for (const hit of hits) {
      const finding = report(PB104, {
        message: messageFor(hit, span, step),
        range: { start: hit.start, end: hit.end },
        // The name a reference to the secret store gives it (PB104's fix): never the secret itself.
        data: { kind: hit.id, name: referenceName(hit, span, step) },
        ...(step && { stepIndex: step.index }),
      });
      const decoded = decodedHits.has(hit) ? { decoded: hit.secret } : {};
      out.push(span.node ? { finding, node: span.node, ...decoded } : { finding });
    }
  }
  return out;
}

/**
 * Secrets that only the value as YAML reads it shows: a double-quoted scalar spells a character
 * with an escape (`"pass\u0077ord=…"`, `"hun\x74er2"`), a single-quoted one doubles a quote, a
 * multi-line scalar is folded. Such a secret has no exact place in the source, so the finding covers
 * the scalar's content.
 */
function decodedSecrets(span: TextSpan): SecretMatch[] {
  const node = span.node;
  if (!node || typeof node.value !== 'string' || node.value === span.source) return [];
  if (!span.source.includes('\\') && !span.source.includes("''") && !span.source.includes('\n')) return [];
  const range = contentRange(span);
  return findSecrets(node.value).map((m) => ({ ...m, start: range.start, end: Math.max(range.end, range.start + 1) }));
}

/** Lexing for comments costs more than all the patterns: only when a `#` line of the part could hold a secret. */
function mayHoldSecretInComment(text: string, from: number, to: number): boolean {
  // Searched in the part alone: `indexOf` on the whole text would run on to the next `#` of the document, for every step.
  const part = text.slice(from, to);
  for (let hash = part.indexOf('#'); hash !== -1; hash = part.indexOf('#', hash + 1)) {
    const end = part.indexOf('\n', hash);
    if (MAY_HOLD_SECRET.test(part.slice(hash, end === -1 ? part.length : end))) return true;
  }
  return false;
}

/**
 * A YAML pair whose key names a secret (`password: hunter2`, `db_token: …`): its value is the
 * secret, unless it is a placeholder or a reference. The `secret` field of a `rotate-secret` step
 * is exempt: by contract it holds the *name* of the secret to rotate (`payments/stripe-key`).
 */
function keyedSecret(span: TextSpan, step: StepModel | undefined): SecretMatch | undefined {
  if (span.kind !== 'value' || !span.pair || !isScalar(span.pair.key)) return undefined;
  const kind = secretKeyLabel(String(span.pair.key.value));
  if (!kind) return undefined;
  const range: OffsetRange = contentRange(span);
  const value = span.source.slice(range.start - span.range.start, range.end - span.range.start);
  if (isPlaceholder(value)) return undefined;
  if (step?.action === 'rotate-secret' && step.pairs.get('secret') === span.pair) return undefined;
  return { id: kind.id, label: kind.label, start: range.start, end: range.end, secret: value };
}

/**
 * What the secret is called in a reference to the secret store: the key that holds it (`db_password`)
 * or the kind of secret (`aws-access-key`), after the step's id, in upper snake case
 * (`GRANT_ACCESS_DB_PASSWORD`).
 */
function referenceName(hit: SecretMatch, span: TextSpan, step: StepModel | undefined): string {
  const key = span.kind === 'value' && span.pair && isScalar(span.pair.key) && secretKeyLabel(String(span.pair.key.value)) ? String(span.pair.key.value) : hit.id;
  const words = [step?.id, key].filter((w): w is string => w !== undefined && w !== '').join('_');
  return words.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'SECRET';
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
