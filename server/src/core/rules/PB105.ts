/**
 * PB105: a dangerous command in a step (a download piped into a shell, TLS verification off,
 * `chmod 777`, …). A command is read as the shell will get it (the scalar's YAML escapes, quotes
 * and folding undone), and each finding is reported on the source text that spells it.
 */
import { isScalar, type Node, type Scalar } from 'yaml';
import { isAliasCopy } from '../parse/expandAliases.js';
import type { StepModel } from '../parse/model.js';
import { findDangerousCommands, findDangerousSettings, type DangerousCommandMatch } from '../security/dangerousCommands.js';
import { scalarSourceRange, scalarSpansUnder } from '../security/scalars.js';
import { shellTextOf, sourceRange } from '../security/shellText.js';
import type { Finding, OffsetRange } from '../types.js';
import { report, shiftedBy, type RuleDefinition } from './rule.js';

/**
 * The step fields that hold a command:
 * - `run` (diagnose) and `command` (run), on any step, so a mistyped `action` does not hide a command;
 * - `change` of `config-change`: a command or a map of settings; a map is scanned whole, since
 *   `NODE_TLS_REJECT_UNAUTHORIZED: "0"` or `SELINUX: disabled` there is as dangerous as in a shell;
 * - `rule` of `block-traffic`: often an `iptables`/`nft` line.
 * `query` (diagnose) is a log or metrics query, not a shell command; `notes` and `message` are prose.
 */
function commandFields(step: StepModel): string[] {
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
  reads: ['steps'],
  check({ parsed }) {
    const out: Finding[] = [];
    for (const step of parsed.model.steps) for (const f of stepDangers(step, parsed.text)) out.push(f);
    return out;
  },
  // Which danger: one command can hold several (`curl -k … | sh`), each its own finding.
  baselineFacts: ({ data }) => (typeof data?.['pattern'] === 'string' ? [data['pattern']] : []),
};

interface Remembered {
  index: number;
  label: string;
  /** Where the step started when scanned; findings move with it. */
  start: number;
  findings: Finding[];
}

/** Per step node, as PB104 does: after an edit, the incremental parse keeps every other step's node, so only the edited step is read again. */
const byStepNode = new WeakMap<Node, Remembered>();

function stepDangers(step: StepModel, text: string): Finding[] {
  const start = step.node.range?.[0];
  const remembered = start === undefined ? undefined : byStepNode.get(step.node);
  if (remembered && remembered.index === step.index && remembered.label === step.label) {
    const by = start! - remembered.start;
    return by === 0 ? remembered.findings : remembered.findings.map((f) => shiftedBy(f, by));
  }
  const findings: Finding[] = [];
  for (const field of commandFields(step)) {
    const node = step.pairs.get(field)?.value as Node | null | undefined;
    for (const hit of dangersIn(node, text)) {
      findings.push(report(PB105, {
        message: `${step.label}: \`${field}\` ${hit.what}: ${hit.instead}`,
        range: { start: hit.start, end: hit.end },
        data: { pattern: hit.id },
        stepIndex: step.index,
      }));
    }
  }
  if (start !== undefined) byStepNode.set(step.node, { index: step.index, label: step.label, start, findings });
  return findings;
}

/**
 * The dangers in a command field, with document offsets: a scalar is one command; a map or list
 * (a config-change's settings) is read as written for settings, and each scalar in it as a command.
 */
function dangersIn(node: Node | null | undefined, text: string): DangerousCommandMatch[] {
  if (!node?.range) return [];
  if (isScalar(node)) return scalarDangers(node, text);
  const whole: OffsetRange = { start: node.range[0], end: node.range[1] };
  const hits = isAliasCopy(node)
    ? atAlias(node, findDangerousSettings(JSON.stringify(node.toJSON()) ?? ''))
    : findDangerousSettings(text.slice(whole.start, whole.end)).map((h) => ({ ...h, start: h.start + whole.start, end: h.end + whole.start }));
  for (const span of scalarSpansUnder(node, text)) if (span.kind === 'value' && span.node) hits.push(...scalarDangers(span.node, text));
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  return hits.filter((h, i) => !hits.slice(0, i).some((k) => k.id === h.id && k.start <= h.start && h.end <= k.end));
}

function scalarDangers(node: Scalar, text: string): DangerousCommandMatch[] {
  // A value brought by `*name` is written at its anchor: read the value, report where `*name` uses it.
  if (isAliasCopy(node)) return atAlias(node, findDangerousCommands(node.value === null || node.value === undefined ? '' : String(node.value)));
  const range = scalarSourceRange(node, text);
  if (!range || range.end <= range.start) return [];
  const mapped = shellTextOf(text.slice(range.start, range.end), node.type);
  return findDangerousCommands(mapped.text).map((h) => {
    const source = sourceRange(mapped, h.start, h.end);
    return { ...h, start: range.start + source.start, end: range.start + source.end };
  });
}

/** Matches in a value an alias brought, each reported on the alias (`*name`), where the step uses it. */
function atAlias(node: Node, hits: DangerousCommandMatch[]): DangerousCommandMatch[] {
  const [start, end] = node.range!;
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.id) && seen.add(h.id)).map((h) => ({ ...h, start, end }));
}
