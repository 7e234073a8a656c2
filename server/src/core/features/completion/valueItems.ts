/** Completions for a value: actions, checkpoint kinds, enums, step ids, services, channels, versions. */
import { ON_FAILURE_KEYWORDS } from '../../parse/buildModel.js';
import { VERSION_FIELD } from '../../rules/versionTargets.js';
import type { Analysis, CompletionEntry, CompletionKind } from '../types.js';
import { actionValues, checkpointKindValues, fieldAt, type EnumValue } from '../schemaInfo.js';
import { describeStep } from '../hover/describeStep.js';
import { shownText } from '../hover/shownText.js';
import { ITEM, type CursorContext } from './cursorContext.js';
import { checkpointNote, riskNote } from './policyNotes.js';
import { versionItems } from './versionItems.js';
import { item } from './entry.js';

const STEP_REFERENCES = new Set(['requires', 'next', 'on-failure']);
const ON_FAILURE_DOCS: Readonly<Record<string, string>> = {
  abort: 'Stop the playbook when this step fails (the default).',
  continue: 'Go on with the next step as if this one had succeeded.',
};

export function valueItems(ctx: CursorContext, analysis: Analysis): CompletionEntry[] {
  const key = ctx.key!;
  const [first, second] = ctx.container;
  if (ctx.container.length === 2 && first === 'steps' && second === ITEM) return stepValueItems(ctx, key, analysis);
  if (ctx.container.length === 2 && first === 'services' && second !== undefined && key === 'current' && !ctx.listItem) {
    const service = analysis.parsed.model.services.get(second);
    return service ? versionItems(ctx, service, analysis) : [];
  }
  if (ctx.listItem) return [];
  return enumItems(ctx, fieldAt(ctx.container, key)?.values ?? [], 'value');
}

function stepValueItems(ctx: CursorContext, key: string, analysis: Analysis): CompletionEntry[] {
  const step = ctx.step ?? ctx.siblings;
  const written = step.get('action');
  const action = written === undefined ? undefined : unquote(written);
  if (STEP_REFERENCES.has(key)) return stepIdItems(ctx, key, analysis);
  if (ctx.listItem) return [];
  if (key === 'action') return actionItems(ctx, analysis);
  if (key === 'kind' && (action === undefined || action === 'checkpoint')) return kindItems(ctx, analysis);
  if (key === 'service') return serviceItems(ctx, analysis);
  if (key === 'channel') return channelItems(ctx, analysis);
  if (action !== undefined && VERSION_FIELD[action] === key) {
    const service = analysis.parsed.model.services.get(unquote(step.get('service') ?? ''));
    return service ? versionItems(ctx, service, analysis) : [];
  }
  return enumItems(ctx, fieldAt(ctx.container, key, action)?.values ?? [], 'value');
}

function actionItems(ctx: CursorContext, analysis: Analysis): CompletionEntry[] {
  return actionValues().map((value, i) => {
    const note = riskNote(value.value, analysis.policy);
    const why = note?.startsWith('risky') ? ': PB100 wants a security checkpoint approved before it' : '';
    return {
      ...item(ctx, value.value, 'action', i),
      detail: note,
      documentation: [value.description, note ? `${capitalize(note)}${why}.` : undefined].filter(Boolean).join('\n\n'),
    };
  });
}

function kindItems(ctx: CursorContext, analysis: Analysis): CompletionEntry[] {
  return checkpointKindValues().map((value, i) => {
    const note = checkpointNote(value.value, analysis.policy);
    return { ...item(ctx, value.value, 'value', i), detail: note, documentation: `${value.description ?? ''}\n\n${capitalize(note)}.`.trim() };
  });
}

function stepIdItems(ctx: CursorContext, key: string, analysis: Analysis): CompletionEntry[] {
  const own = unquote((ctx.step ?? ctx.siblings).get('id') ?? '');
  const exclude = new Set([own, ...ctx.written]);
  const model = analysis.parsed.model;
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const step of model.steps) {
    if (step.id === undefined || exclude.has(step.id) || seen.has(step.id)) continue;
    seen.add(step.id);
    const entry = item(ctx, step.id, 'step', out.length);
    // `requires` is a list: a lone id typed after the colon becomes a one-item list.
    if (key === 'requires' && !ctx.listItem) entry.insertText = entry.insertText.replace(step.id, `[${step.id}]`);
    out.push({ ...entry, detail: step.action, documentation: `Step ${shownText(analysis.parsed).code(step.id)} ${describeStep(step, analysis.parsed)}.` });
  }
  if (key === 'on-failure') {
    for (const word of ON_FAILURE_KEYWORDS) out.push({ ...item(ctx, word, 'keyword', out.length), documentation: ON_FAILURE_DOCS[word] });
  }
  return out;
}

function serviceItems(ctx: CursorContext, analysis: Analysis): CompletionEntry[] {
  return [...analysis.parsed.model.services.values()].map((service, i) => ({
    ...item(ctx, service.name, 'service', i),
    detail: service.purl,
    documentation: service.current === undefined ? undefined : `Running ${service.current}; releases: ${service.releases.map((r) => r.value).join(', ') || 'none listed'}.`,
  }));
}

function channelItems(ctx: CursorContext, analysis: Analysis): CompletionEntry[] {
  return [...analysis.parsed.model.channels.values()].map((channel, i) => ({
    ...item(ctx, channel.name, 'channel', i),
    detail: channel.target,
    documentation: channel.name === 'security' ? 'The channel PB102 wants notified after every risky change.' : undefined,
  }));
}

function enumItems(ctx: CursorContext, values: EnumValue[], kind: CompletionKind): CompletionEntry[] {
  return values.map((value, i) => ({ ...item(ctx, value.value, kind, i), documentation: value.description }));
}

function unquote(text: string): string {
  return text.replace(/^(["'])(.*)\1$/, '$2');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
