/** Completions for a key: the fields the schema allows at the cursor that are not written yet. */
import { fieldAt, isReleaseItem, ownerFields, playbookFields, releaseFields, serviceFields, stepFields, triggerFields, type FieldInfo } from '../schemaInfo.js';
import type { CompletionEntry } from '../types.js';
import { ITEM, type CursorContext } from './cursorContext.js';

export function fieldItems(ctx: CursorContext): CompletionEntry[] {
  const container = ctx.container;
  const [first, second] = container;
  if (container.length === 0) return entries(ctx, playbookFields());
  if (container.length === 1 && first === 'owners') return entries(ctx, ownerFields());
  if (container.length === 1 && first === 'trigger') return entries(ctx, triggerFields());
  if (container.length === 1 && first === 'channels') return securityChannel(ctx);
  if (container.length === 2 && first === 'services') return entries(ctx, serviceFields());
  if (isReleaseItem(container)) return entries(ctx, releaseFields(), (f) => (f.name === 'version' ? 0 : 1));
  if (container.length === 2 && first === 'steps' && second === ITEM) {
    return entries(ctx, stepFields(ctx.siblings.get('action')?.replace(/^(["'])(.*)\1$/, '$2')), stepFieldRank);
  }
  return [];
}

/** `id` and `action` first, then the fields the action requires, then the rest in schema order. */
function stepFieldRank(field: FieldInfo): number {
  if (field.name === 'id') return 0;
  if (field.name === 'action') return 1;
  return field.required ? 2 : 3;
}

function entries(ctx: CursorContext, fields: FieldInfo[], rank: (f: FieldInfo) => number = () => 0): CompletionEntry[] {
  return fields
    .filter((f) => !ctx.siblings.has(f.name))
    .map((field, i) => ({
      label: field.name,
      kind: 'field' as const,
      ...insertion(ctx, field),
      replace: ctx.word,
      detail: field.title,
      documentation: field.documentation,
      sortText: `${rank(field)}${String(i).padStart(3, '0')}`,
    }));
}

/** `name: $1`, `name: [$1]` for a list, an indented block for a map or the steps; the bare name before a colon. */
function insertion(ctx: CursorContext, field: FieldInfo): Pick<CompletionEntry, 'insertText' | 'isSnippet'> {
  const lead = ctx.needsSpace ? ' ' : '';
  if (ctx.colonFollows) return { insertText: lead + field.name };
  const value = { scalar: ' $1', list: ' [$1]', map: '\n  $1', steps: '\n  - $1' }[field.shape];
  return { insertText: `${lead}${field.name}:${value}`, isSnippet: true };
}

/** Under `channels`: the `security` role that PB102 looks for, when it is missing. */
function securityChannel(ctx: CursorContext): CompletionEntry[] {
  if (ctx.siblings.has('security')) return [];
  const channel = fieldAt(['channels'], 'security');
  return [
    {
      label: 'security',
      kind: 'field',
      ...insertion(ctx, { name: 'security', required: false, shape: 'scalar', values: [] }),
      replace: ctx.word,
      detail: 'the channel role PB102 looks for',
      documentation: `${channel?.documentation ?? ''}\n\nAfter a risky change, every path to an exit must notify the \`security\` channel (PB102).`.trim(),
    },
  ];
}
