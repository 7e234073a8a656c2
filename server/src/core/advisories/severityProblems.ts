/**
 * Severities a record writes that cannot be read (a misspelt label, an incomplete vector, a field
 * of the wrong shape), said once at load: each counts as none, which can leave a HIGH record at
 * "severity unknown", so the record's author must hear of it.
 */
import { fromLabel, fromSeverityItem, writesSeverity } from './severity.js';
import type { OsvRecord } from './types.js';

const KNOWN_TYPES = new Set(['CVSS_V2', 'CVSS_V3', 'CVSS_V4', 'Ubuntu']);

/** The base metrics each CVSS version needs: a vector with all of them is complete, even when it scores 0 ("None"). */
const BASE_METRICS: Readonly<Record<string, readonly string[]>> = {
  CVSS_V2: ['AV', 'AC', 'Au', 'C', 'I', 'A'],
  CVSS_V3: ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  CVSS_V4: ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
};

/** A severity item that says nothing by mistake (not one that says "None"). */
function isUnreadableItem(type: string, score: string): boolean {
  if (fromSeverityItem({ type, score }, '').severity) return false;
  if (type === 'Ubuntu') return score.trim().toLowerCase() !== 'untriaged';
  const metrics = new Set(score.trim().replace(/^\(|\)$/g, '').split('/').map((part) => part.split(':')[0]));
  const prefixed = type === 'CVSS_V2' || /^CVSS:(3\.[01]|4\.0)\//.test(score.trim());
  return !prefixed || !(BASE_METRICS[type] ?? []).every((metric) => metrics.has(metric));
}

/** The problems, each naming its field. Severity types the schema may add later are not reported. */
export function severityProblems(record: OsvRecord): string[] {
  const out: string[] = [];
  const label = (holder: unknown, field: string): void => {
    if (typeof holder !== 'object' || holder === null) return;
    const value = (holder as Record<string, unknown>)['severity'];
    if (value !== undefined && !fromLabel(value, field).severity) out.push(`\`${field}.severity\` is ${JSON.stringify(value)}, which is not a severity (CRITICAL, HIGH, MODERATE or MEDIUM, LOW); it is ignored`);
  };
  const items = (value: unknown, field: string): void => {
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      out.push(`\`${field}\` must be a list of \`{type, score}\`; it is ignored`);
      return;
    }
    value.forEach((item, i) => {
      const { type, score } = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
      if (typeof type !== 'string' || typeof score !== 'string') out.push(`\`${field}[${i}]\` must have a string \`type\` and \`score\`; it is ignored`);
      else if (KNOWN_TYPES.has(type) && isUnreadableItem(type, score)) out.push(`\`${field}[${i}]\` is not ${type === 'Ubuntu' ? 'an Ubuntu priority' : `a complete ${type} vector`}; it is ignored`);
    });
  };
  label(record.database_specific, 'database_specific');
  items(record.severity, 'severity');
  record.affected.forEach((entry, i) => {
    if (!writesSeverity(entry)) return;
    label(entry.database_specific, `affected[${i}].database_specific`);
    label(entry.ecosystem_specific, `affected[${i}].ecosystem_specific`);
    items(entry.severity, `affected[${i}].severity`);
  });
  return out;
}
