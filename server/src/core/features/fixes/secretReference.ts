/**
 * PB104: the secret replaced by a reference to the secret store, written as the policy's
 * `secret-reference` says (`${NAME}` by default, `{{ vault:secret/incidents/NAME }}` for example),
 * NAME being the name the rule gave it (`data.name`). The edit touches the secret alone where the
 * scalar's style allows it as is; otherwise (a plain scalar the reference would change the meaning
 * of, a quote or escape the reference would need, a secret only the decoded value spells) the
 * scalar is rewritten whole in its own quoting. The title says to rotate it: the old value stays in
 * the file's history.
 */
import { Scalar } from 'yaml';
import { plainTextSecrets } from '../../rules/PB104.js';
import type { Finding } from '../../types.js';
import type { TextEdit } from '../types.js';
import { compact, dataString, quickFix, type FixProvider } from './fixContext.js';
import { replaceScalar } from './scalars.js';

/** What may not start a plain scalar (YAML's indicators). */
const INDICATOR_FIRST = /^[-?:,[\]{}#&*!|>'"%@`]/;

export const secretReferenceFix: FixProvider = (finding, context) => {
  const name = dataString(finding, 'name');
  if (name === undefined) return [];
  const reference = context.analysis.policy.secretReference.split('NAME').join(name);
  const secret = plainTextSecrets(context.analysis.parsed).find((s) => s.finding.range.start === finding.range.start && s.finding.range.end === finding.range.end);
  if (!secret || /[\r\n]/.test(reference)) return [];
  const edit = secret.node ? scalarEdit(context.text, finding, secret.node, reference, secret.decoded) : { range: finding.range, newText: reference };
  return compact([quickFix(`Replace the secret with ${reference} (and rotate it: the file's history keeps the old value)`, finding, [edit], true)]);
};

function scalarEdit(text: string, finding: Finding, node: Scalar, reference: string, decoded: string | undefined): TextEdit | undefined {
  const [start, valueEnd] = node.range!;
  const whole = (): TextEdit | undefined => {
    const value = String(node.value);
    const secret = decoded ?? text.slice(finding.range.start, finding.range.end);
    return value.includes(secret) ? replaceScalar(text, { start, end: valueEnd }, value.split(secret).join(reference)) : undefined;
  };
  if (decoded !== undefined) return whole();
  const exact = { range: finding.range, newText: reference };
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
      return /["\\]/.test(reference) ? whole() : exact;
    case Scalar.QUOTE_SINGLE:
      return reference.includes("'") ? whole() : exact;
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED:
      return exact;
    default: {
      // A plain scalar: the reference must not start it with an indicator, nor hold `: ` or ` #`.
      const atStart = finding.range.start === start;
      const safe = !(atStart && INDICATOR_FIRST.test(reference)) && !/: | #|:$/.test(reference);
      return safe ? exact : whole();
    }
  }
}
