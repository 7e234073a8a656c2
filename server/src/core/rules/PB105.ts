/** PB105: a dangerous command in a step (a download piped into a shell, TLS verification off, `chmod 777`, …). */
import { isScalar, type Node } from 'yaml';
import type { StepModel } from '../parse/model.js';
import { findDangerousCommands } from '../security/dangerousCommands.js';
import { scalarSourceRange, scannableSource } from '../security/scalars.js';
import type { Finding, OffsetRange } from '../types.js';
import { report, type RuleDefinition } from './rule.js';

/**
 * The step fields that hold a command:
 * - `run` (diagnose) and `command` (run), on any step, so a mistyped `action` does not hide a command;
 * - `change` of `config-change`: a command or a map of settings; a map is scanned whole, since
 *   `NODE_TLS_REJECT_UNAUTHORIZED: "0"` or `SELINUX: disabled` there is as dangerous as in a shell;
 * - `rule` of `block-traffic`: often an `iptables`/`nft` line.
 * `query` (diagnose) is a log or metrics query, not a shell command; `notes` and `message` are prose.
 */
export function commandFields(step: StepModel): string[] {
  const fields = ['run', 'command'];
  if (step.action === 'config-change') fields.push('change');
  if (step.action === 'block-traffic') fields.push('rule');
  return fields;
}

export const PB105: RuleDefinition = {
  id: 'PB105',
  name: 'dangerous-command',
  family: 'security',
  defaultSeverity: 'warning',
  summary: 'Dangerous command: piping a download into a shell, disabling TLS verification, `chmod 777`, disabling a firewall or SELinux, `--no-verify`.',
  check({ parsed }) {
    const out: Finding[] = [];
    for (const step of parsed.model.steps) {
      for (const field of commandFields(step)) {
        const node = step.pairs.get(field)?.value as Node | null | undefined;
        const range = commandRange(node, parsed.text);
        if (!range) continue;
        const source = scannableSource(parsed.text.slice(range.start, range.end), isScalar(node) ? node : undefined);
        for (const hit of findDangerousCommands(source)) {
          out.push(report(PB105, {
            message: `${step.label}: \`${field}\` ${hit.what}: ${hit.instead}`,
            range: { start: range.start + hit.start, end: range.start + hit.end },
            data: { pattern: hit.id },
            stepIndex: step.index,
          }));
        }
      }
    }
    return out;
  },
};

/** Source range of a command value: a scalar as written (block header skipped), or a whole map or list. */
function commandRange(node: Node | null | undefined, text: string): OffsetRange | undefined {
  if (!node?.range) return undefined;
  if (isScalar(node)) return scalarSourceRange(node, text);
  return { start: node.range[0], end: node.range[1] };
}
