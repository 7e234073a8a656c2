/**
 * Completion: what may be typed at an offset, from the schema (fields, actions, enums), the
 * playbook itself (step ids, services, channels, versions with their advisories) and the security
 * team's snippets. The place is read from the text around the cursor, so it works on lines that do
 * not parse yet; the parsed model only supplies the names to offer.
 */
import { cursorContext, ITEM } from './completion/cursorContext.js';
import { fieldItems } from './completion/fieldItems.js';
import { snippetItems, type SnippetDefinition } from './completion/snippetItems.js';
import { valueItems } from './completion/valueItems.js';
import type { Analysis, CompletionEntry } from './types.js';

export type { SnippetDefinition } from './completion/snippetItems.js';

export function completions(analysis: Analysis, offset: number, extraSnippets: SnippetDefinition[]): CompletionEntry[] {
  const ctx = cursorContext(analysis.parsed.text, offset);
  if (!ctx) return [];
  if (ctx.kind === 'value') return valueItems(ctx, analysis);
  const [first, second] = ctx.container;
  const inStepsList = ctx.container.length === 1 && first === 'steps';
  const newStep = ctx.container.length === 2 && first === 'steps' && second === ITEM && ctx.startsItem && ctx.siblings.size === 0;
  const snippets = inStepsList || newStep ? snippetItems(ctx, extraSnippets) : [];
  return [...fieldItems(ctx), ...snippets];
}
