/**
 * PB110 on the policy file: a source that cannot be read (info) and each broken record (warning),
 * on the `advisories` entry that names it, so the security team sees exactly which file to fix.
 */
import { isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { Policy } from '../policy/policy.js';
import { findPair, firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import type { Finding, OffsetRange } from '../types.js';
import type { AdvisorySnapshot } from './snapshot.js';

export function advisoryProblemFindings(snapshot: AdvisorySnapshot, policyText: string, policy: Policy, show: (file: string) => string): Finding[] {
  const setting = policy.rules.PB110;
  if (setting === 'off') return [];
  const where = entryLocator(policyText);
  const out: Finding[] = [];
  for (const source of snapshot.sources) {
    // A default the policy does not write is not reported here: PB110 in the playbook says no records are loaded.
    const written = where.written(source.entry);
    if (source.kind !== 'missing' || !written) continue;
    out.push({ ruleId: 'PB110', severity: 'info', message: `advisory source \`${source.entry}\` ${source.problem === 'no such file or directory' ? 'does not exist' : `cannot be read (${source.problem})`}, so its advisories are not checked`, range: written });
  }
  for (const problem of snapshot.problems) {
    const file = problem.file ? `${show(problem.file)}: ` : '';
    out.push({ ruleId: 'PB110', severity: problem.severity, message: `${file}${problem.message}`, range: where(problem.entry), data: problem.file ? { file: problem.file } : undefined });
  }
  return setting ? out.map((f) => ({ ...f, severity: setting })) : out;
}

interface EntryLocator {
  /** Range of the `advisories` item written as `entry`, else the `advisories` key, else the first line. */
  (entry: string): OffsetRange;
  /** Range of the item written as `entry`, or undefined when the policy does not write it. */
  written(entry: string): OffsetRange | undefined;
}

function entryLocator(policyText: string): EntryLocator {
  const doc = parseDocument(policyText);
  const pair = findPair(doc.contents, 'advisories');
  const items = isSeq(pair?.value) ? pair.value.items : [];
  const fallback = pair ? nodeRange(pair.key) : firstLineOf({ start: 0, end: policyText.length }, policyText);
  const written = (entry: string): OffsetRange | undefined => {
    const item = items.find((i) => isScalar(i) && String(i.value) === entry);
    return item ? nodeRange(item as Node) : undefined;
  };
  return Object.assign((entry: string) => written(entry) ?? fallback, { written });
}
