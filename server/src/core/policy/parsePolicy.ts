/**
 * Policy text → effective Policy plus findings on the policy file. An unreadable or invalid
 * policy is reported and the built-in defaults apply in full: playbooks are still checked.
 */
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { RULES_BY_ID } from '../rules/index.js';
import { didYouMean } from '../util/suggest.js';
import type { Finding, SeveritySetting } from '../types.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { decodeBytes } from '../parse/decode.js';
import { visibleRange } from '../parse/parsePlaybook.js';
import { toPlainData } from '../parse/plainData.js';
import { schemaFindings } from '../schema/schemaFindings.js';
import { policyValidator } from '../schema/validators.js';
import { parseAgeLimit } from './ageLimit.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';

export interface ParsedPolicy {
  policy: Policy;
  /** Findings on the policy file itself (PB001 syntax, PB002 schema). */
  findings: Finding[];
  /** False when the defaults were used because the file had errors. */
  applied: boolean;
}

interface PolicyData {
  'risky-actions'?: string[];
  'security-checkpoints'?: string[];
  'notify-security-after'?: string[];
  notify?: Record<string, { 'webhook-env': string }>;
  'auto-notify-security'?: boolean;
  advisories?: string[];
  rules?: Record<string, SeveritySetting>;
  snippets?: string;
  'advisories-mirror'?: string;
  'advisories-update-dir'?: string;
  'advisories-max-age'?: string;
  sboms?: string[];
  vex?: string[];
  'require-sbom'?: boolean;
  'secret-reference'?: string;
  baseline?: string;
  limits?: Policy['limits'];
}

/** The policy as read from disk: bytes that are not UTF-8 text are refused with a policy's own words. */
export function parsePolicyBytes(bytes: Uint8Array): ParsedPolicy & { text?: string } {
  const decoded = decodeBytes(bytes);
  if ('finding' in decoded) {
    const nul = bytes.indexOf(0);
    return binaryPolicy(nul === -1 ? 'bytes that are not UTF-8; save it as UTF-8 text' : `a NUL byte at byte ${nul}`);
  }
  return { ...parsePolicy(decoded.text), text: decoded.text };
}

export function parsePolicy(text: string): ParsedPolicy {
  // An editor shows a binary file's NUL bytes as characters; YAML would report them as a syntax error, or not at all in a comment.
  const nul = text.indexOf('\u0000');
  if (nul !== -1) return binaryPolicy(`a NUL character at offset ${nul}`);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const syntax: Finding[] = doc.errors.map((e) => ({
    ruleId: 'PB001',
    severity: 'error',
    message: `policy YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}; the built-in default policy applies until this is fixed`,
    range: visibleRange(e.pos, text),
  }));
  if (syntax.length) return { policy: DEFAULT_POLICY, findings: syntax, applied: false };
  const plain = toPlainData(doc, text, DEFAULT_LIMITS);
  if ('finding' in plain) return { policy: DEFAULT_POLICY, findings: [plain.finding], applied: false };
  const schema = schemaFindings({ doc, text, data: plain.value, validate: policyValidator(), subject: 'the policy', labelFor: () => undefined });
  if (schema.length) {
    const findings = schema.map((f) => ({ ...f, message: `${f.message}; the built-in default policy applies until this is fixed` }));
    return { policy: DEFAULT_POLICY, findings, applied: false };
  }
  return { policy: toPolicy(plain.value as PolicyData), findings: unknownRuleIds(doc, text), applied: true };
}

function binaryPolicy(detail: string): ParsedPolicy {
  const message = `the policy file holds binary data, not YAML text (${detail}); the built-in default policy applies until this is fixed`;
  return { policy: DEFAULT_POLICY, findings: [{ ruleId: 'PB001', severity: 'error', message, range: { start: 0, end: 0 } }], applied: false };
}

/** A rule id the catalog does not know is probably a typo that silently configures nothing. */
function unknownRuleIds(doc: Document.Parsed, text: string): Finding[] {
  const rules = doc.get('rules');
  if (!isMap(rules)) return [];
  return rules.items.flatMap((pair) => {
    const id = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (id === undefined || RULES_BY_ID.has(id)) return [];
    const range = pair.key && isScalar(pair.key) && pair.key.range ? visibleRange([pair.key.range[0], pair.key.range[1]], text) : { start: 0, end: 0 };
    return [{ ruleId: 'PB002', severity: 'warning' as const, message: `\`${id}\` is not a rule id, so this line configures nothing${didYouMean(id, RULES_BY_ID.keys())}`, range }];
  });
}

function toPolicy(data: PolicyData): Policy {
  return {
    riskyActions: new Set(data['risky-actions'] ?? DEFAULT_POLICY.riskyActions),
    securityCheckpoints: new Set(data['security-checkpoints'] ?? DEFAULT_POLICY.securityCheckpoints),
    notifySecurityAfter: new Set(data['notify-security-after'] ?? DEFAULT_POLICY.notifySecurityAfter),
    // A Map, not the plain object: a role named `constructor` or `__proto__` is a role like any other.
    notify: new Map(Object.entries(data.notify ?? {}).map(([role, binding]) => [role, { webhookEnv: binding['webhook-env'] }])),
    autoNotifySecurity: data['auto-notify-security'] ?? DEFAULT_POLICY.autoNotifySecurity,
    advisories: data.advisories ?? DEFAULT_POLICY.advisories,
    rules: { ...(data.rules ?? {}) },
    snippets: data.snippets,
    advisoriesMirror: data['advisories-mirror'],
    advisoriesUpdateDir: data['advisories-update-dir'],
    // The schema has checked the pattern: a value it let through always parses.
    advisoriesMaxAge: (data['advisories-max-age'] === undefined ? undefined : parseAgeLimit(data['advisories-max-age'])) ?? DEFAULT_POLICY.advisoriesMaxAge,
    sboms: data.sboms ?? DEFAULT_POLICY.sboms,
    vex: data.vex ?? DEFAULT_POLICY.vex,
    requireSbom: data['require-sbom'] ?? DEFAULT_POLICY.requireSbom,
    secretReference: data['secret-reference'] ?? DEFAULT_POLICY.secretReference,
    ...(data.baseline !== undefined ? { baseline: data.baseline } : {}),
    limits: { ...(data.limits ?? {}) },
  };
}

/** Policy with extra severity overrides on top (e.g. editor settings), later ones winning. */
export function withRuleOverrides(policy: Policy, overrides: Record<string, SeveritySetting>): Policy {
  return { ...policy, rules: { ...policy.rules, ...overrides } };
}

