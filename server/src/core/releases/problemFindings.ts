/**
 * PB110 on the policy file for the files in its `sboms` and `vex` folders (spec sections 8 and 9):
 * an SBOM or VEX document that cannot be read or is not one, a statement that cannot be used, on
 * the `sboms` or `vex` key that names the folder (the first line when the defaults apply), each
 * naming the file, so the security team sees exactly which file to fix.
 */
import { parseDocument } from 'yaml';
import { findPair, firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import type { Policy } from '../policy/policy.js';
import type { Finding } from '../types.js';
import { oneLine } from '../util/oneLine.js';

export interface ReleaseFileProblem {
  /** Which of the policy's settings names the folder the file is in. */
  setting: 'sboms' | 'vex';
  file: string;
  message: string;
  severity: 'warning' | 'info';
}

export function releaseProblemFindings(problems: readonly ReleaseFileProblem[], policyText: string, policy: Policy, show: (file: string) => string): Finding[] {
  const setting = policy.rules.PB110;
  if (setting === 'off' || problems.length === 0) return [];
  const doc = parseDocument(policyText);
  const anchor = (key: string) => {
    const pair = findPair(doc.contents, key);
    return pair ? nodeRange(pair.key) : firstLineOf({ start: 0, end: policyText.length }, policyText);
  };
  const ranges = { sboms: anchor('sboms'), vex: anchor('vex') };
  return problems.map((p) => ({
    ruleId: 'PB110',
    severity: setting ?? p.severity,
    message: `${p.setting === 'sboms' ? 'SBOM' : 'VEX document'} ${oneLine(show(p.file))}: ${oneLine(p.message)}`,
    range: ranges[p.setting],
    data: { file: p.file },
  }));
}
