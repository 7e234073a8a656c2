/**
 * The document outline: `services`, `channels` and `steps` as they appear in the file, each with its
 * entries as children. Works on any shape: a step without an id is named by its position, and list
 * items that are not maps (PB002 findings) are left out.
 */
import { isMap, type Node, type Pair } from 'yaml';
import type { ParsedPlaybook, StepModel } from '../parse/model.js';
import { findPair, firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import { stepField } from '../graph/securitySteps.js';
import { redactorFor, type Redact } from '../security/redact.js';
import type { OffsetRange } from '../types.js';
import { nameRange } from './symbolAt.js';
import type { Analysis, SymbolEntry } from './types.js';

export function documentSymbols(analysis: Analysis): SymbolEntry[] {
  const parsed = analysis.parsed;
  const { model, yaml, text } = parsed;
  const root = yaml?.contents;
  if (!isMap(root)) return [];
  const groups: SymbolEntry[] = [];
  const group = (key: string, detail: (count: number) => string, children: SymbolEntry[]): void => {
    const pair = findPair(root, key);
    if (!pair?.key?.range) return;
    const range = pairRange(pair, text);
    groups.push({ name: key, detail: detail(children.length), kind: 'field', range, selectionRange: nodeRange(pair.key), children });
  };
  group('services', (n) => plural(n, 'service'), [...model.services.values()].map((service) => ({
    name: service.name,
    detail: [service.purl, service.current].filter((part) => part !== undefined).join('@'),
    kind: 'service',
    range: keyValueRange(service.keyNode, service.node, text),
    selectionRange: nameRange(service.keyNode, text),
  })));
  group('channels', (n) => plural(n, 'channel'), [...model.channels.values()].map((channel) => ({
    name: channel.name,
    detail: channel.target ?? '',
    kind: 'channel',
    range: keyValueRange(channel.keyNode, valueOfKey(findPair(root, 'channels')?.value, channel.keyNode), text),
    selectionRange: nameRange(channel.keyNode, text),
  })));
  const redact = redactorFor(parsed);
  group('steps', (n) => plural(n, 'step'), model.steps.filter((s) => isMap(s.node)).map((step) => stepSymbol(step, parsed, redact)));
  // The outline echoes playbook text (commands, channel targets): it passes the secret redaction.
  return groups.sort((a, b) => a.range.start - b.range.start).map((g) => redacted(g, redact));
}

function redacted(entry: SymbolEntry, redact: Redact): SymbolEntry {
  return { ...entry, name: redact(entry.name), detail: redact(entry.detail ?? ''), ...(entry.children ? { children: entry.children.map((c) => redacted(c, redact)) } : {}) };
}

function stepSymbol(step: StepModel, { text }: ParsedPlaybook, redact: Redact): SymbolEntry {
  const range = trimEnd(step.range, text);
  return {
    name: step.id || `step ${step.index + 1}`,
    detail: stepDetail(step, redact),
    kind: 'step',
    range,
    selectionRange: step.idNode ? nameRange(step.idNode, text) : firstLineOf(range, text),
  };
}

/** What a step does, in a few words: "rollback checkout → 2.3.1", "notify → security". */
function stepDetail(step: StepModel, redact: Redact): string {
  if (step.action === undefined) return '';
  const field = (key: string): string | undefined => {
    const value = stepField(step, key)?.value;
    return value === undefined ? undefined : shorten(redact(value));
  };
  const join = (...parts: Array<string | undefined>): string => [step.action, ...parts.filter((p) => p !== undefined)].join(' ');
  const arrow = (from: string | undefined, to: string | undefined): string => (to === undefined ? join(from) : join(from, '→', to));
  switch (step.action) {
    case 'diagnose':
      return join(field('run') ?? field('query'));
    case 'run':
      return join(field('command'));
    case 'rollback':
    case 'failover':
      return arrow(field('service'), field('to'));
    case 'deploy':
      return arrow(field('service'), field('version'));
    case 'scale': {
      const replicas = field('replicas');
      return arrow(field('service'), replicas === undefined ? undefined : `${replicas} replicas`);
    }
    case 'feature-flag':
      return arrow(field('flag'), field('state'));
    case 'access-grant':
    case 'access-revoke':
      return arrow(field('role'), field('principal'));
    case 'notify':
    case 'escalate':
      return arrow(undefined, field(step.action === 'notify' ? 'channel' : 'to'));
    default:
      return join(field(DETAIL_FIELD[step.action] ?? ''));
  }
}

/** The one field that says what the remaining actions are about. */
const DETAIL_FIELD: Partial<Record<string, string>> = {
  restart: 'service',
  'config-change': 'service',
  'rotate-secret': 'secret',
  'block-traffic': 'rule',
  checkpoint: 'kind',
  wait: 'duration',
  postmortem: 'due',
};

const DETAIL_LENGTH = 40;

/** One line, at most DETAIL_LENGTH characters: a long command is recognised by its start. */
function shorten(value: string): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > DETAIL_LENGTH ? `${line.slice(0, DETAIL_LENGTH - 1)}…` : line;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The value paired with this very key node (a duplicated key has two pairs; the model keeps one). */
function valueOfKey(map: unknown, key: Node): Node | undefined {
  if (!isMap(map)) return undefined;
  return (map.items.find((pair) => pair.key === key)?.value ?? undefined) as Node | undefined;
}

function pairRange(pair: Pair, text: string): OffsetRange {
  return keyValueRange(pair.key as Node, (pair.value ?? undefined) as Node | undefined, text);
}

/** From a key to the end of its value (without the blank lines after it). */
function keyValueRange(key: Node, value: Node | undefined, text: string): OffsetRange {
  const start = nodeRange(key).start;
  const end = Math.max(nodeRange(key).end, value?.range ? value.range[1] : 0);
  return trimEnd({ start, end }, text);
}

function trimEnd(range: OffsetRange, text: string): OffsetRange {
  let end = range.end;
  while (end > range.start && /\s/.test(text[end - 1]!)) end--;
  return { start: range.start, end };
}
