/** SARIF 2.1.0 as GitHub code scanning reads it. */
import { createHash } from 'node:crypto';
import { type Policy, findingSecuritySeverity, plainText, ruleDocUrl, ruleSecuritySeverity, PROJECT_URL, RULES, type Finding, type Severity, type SeveritySetting, type SuppressedFinding } from '../../core/index.js';
import { regionOf, type FileReport } from '../report.js';

export interface SarifContext {
  toolVersion: string;
  /** Policy whose severities describe the rules' configured level. */
  policy: Policy;
  /** Files that could not be read: reported as tool notifications. */
  notifications: Array<{ argument: string; reason: string }>;
  /** A baseline is in use: every result carries `baselineState`, and the findings it lists are results too (`unchanged`). */
  baseline: boolean;
}

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(reports: FileReport[], context: SarifContext): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const results = reports.flatMap((report) => {
    const seen = new Map<string, number>();
    const toResult = (f: Finding, suppression?: SuppressedFinding['suppression']): Record<string, unknown> => {
      // SARIF's own word for a baseline's verdict (3.27.24): GitHub code scanning and other viewers read it.
      const baselineState = context.baseline ? { baselineState: f.baselined ? 'unchanged' : 'new' } : {};
      const fingerprint = fingerprintOf(report, f);
      const occurrence = (seen.get(fingerprint) ?? 0) + 1;
      seen.set(fingerprint, occurrence);
      const securitySeverity = findingSecuritySeverity(f);
      return {
        ruleId: f.ruleId,
        ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
        level: LEVEL[f.severity],
        // Code scanning shows `text` as it is and renders `markdown`.
        message: { text: plainText(f.message), markdown: f.message },
        locations: [location(report, f.range)],
        ...(f.related?.length ? { relatedLocations: f.related.map((r, id) => ({ id, message: { text: plainText(r.message) }, ...(r.file ? { physicalLocation: { artifactLocation: { uri: toUri(r.file) }, ...(r.position ? { region: { startLine: r.position.line + 1, startColumn: r.position.character + 1 } } : {}) } } : location(report, r.range)) })) } : {}),
        partialFingerprints: { 'playbookFinding/v1': `${fingerprint}:${occurrence}` },
        // How GitHub ranks the alert: PB101's by the advisory's CVSS score, the others' as their rule's descriptor.
        ...(securitySeverity !== undefined ? { properties: { 'security-severity': securitySeverity } } : {}),
        ...baselineState,
        // A VEX statement of security's is an external suppression (SARIF 3.35): its document is where it was decided.
        ...(suppression ? { suppressions: [{ kind: suppression.kind ?? 'inSource', status: 'accepted', justification: suppression.reason, ...(suppression.file ? { location: { physicalLocation: { artifactLocation: { uri: toUri(suppression.file) } } } } : {}) }] } : {}),
      };
    };
    return [...report.findings.map((f) => toResult(f)), ...(report.baselined ?? []).map((f) => toResult(f)), ...report.suppressed.map((f) => toResult(f, f.suppression))];
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'playbook', version: context.toolVersion, semanticVersion: context.toolVersion, informationUri: PROJECT_URL, rules: RULES.map((r) => ruleDescriptor(r, context.policy.rules[r.id])) } },
      columnKind: 'utf16CodeUnits',
      originalUriBaseIds: { SRCROOT: { description: { text: 'The folder the check ran in.' } } },
      artifacts: reports.map((r) => ({ location: { uri: toUri(r.displayPath), uriBaseId: 'SRCROOT' }, roles: ['analysisTarget'] })),
      results,
      invocations: [{
        executionSuccessful: context.notifications.length === 0,
        toolExecutionNotifications: context.notifications.map((n) => ({ level: 'error', message: { text: `${n.argument}: ${n.reason}` } })),
      }],
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function ruleDescriptor(rule: (typeof RULES)[number], setting: SeveritySetting | undefined): Record<string, unknown> {
  const effective = setting ?? rule.defaultSeverity;
  const securitySeverity = ruleSecuritySeverity(rule);
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: plainText(rule.summary) },
    fullDescription: { text: plainText(rule.summary), markdown: rule.summary },
    helpUri: ruleDocUrl(rule.id),
    help: { text: `${plainText(rule.summary)} See ${ruleDocUrl(rule.id)}`, markdown: `${rule.summary} [Rule documentation](${ruleDocUrl(rule.id)})` },
    defaultConfiguration: { level: effective === 'off' ? 'none' : LEVEL[effective], enabled: effective !== 'off' },
    properties: securitySeverity === undefined
      ? { tags: ['correctness'] }
      : { tags: [...new Set(['security', rule.family])], 'security-severity': securitySeverity },
  };
}

function location(report: FileReport, range: { start: number; end: number }): Record<string, unknown> {
  return { physicalLocation: { artifactLocation: { uri: toUri(report.displayPath), uriBaseId: 'SRCROOT' }, region: regionOf(report, range) } };
}

/** Stable across edits elsewhere in the file: rule, file, the flagged text and the message. */
function fingerprintOf(report: FileReport, f: Finding): string {
  const flagged = report.text.slice(f.range.start, f.range.end);
  return createHash('sha256').update(`${f.ruleId}\0${report.displayPath}\0${flagged}\0${f.message}`).digest('hex').slice(0, 32);
}

function toUri(displayPath: string): string {
  return displayPath.split('/').map(encodeURIComponent).join('/');
}
