/**
 * Completion: what may be typed at an offset, from the schema (fields, actions, enums), the
 * playbook itself (step ids, services, channels, versions with their advisories) and the security
 * team's snippets. The place is read from the text around the cursor, so it works on lines that do
 * not parse yet; the parsed model only supplies the names to offer.
 */
import { cursorContext, ITEM } from './completion/cursorContext.js';
import { fieldItems } from './completion/fieldItems.js';
import { SKELETON, STEP_SNIPPETS } from './completion/shippedSnippets.js';
import { snippetItems, type SnippetDefinition } from './completion/snippetItems.js';
import { valueItems } from './completion/valueItems.js';
import type { Analysis, CompletionEntry } from './types.js';

export type { SnippetDefinition } from './completion/snippetItems.js';

export function completions(analysis: Analysis, offset: number, extraSnippets: SnippetDefinition[]): CompletionEntry[] {
  const ctx = cursorContext(analysis.parsed.text, offset);
  if (!ctx) return [];
  // An empty file: the whole playbook first, then the top-level fields.
  if (analysis.parsed.text.trim() === '') return [skeletonItem(ctx.word), ...fieldItems(ctx)];
  if (ctx.kind === 'value') return valueItems(ctx, analysis);
  const [first, second] = ctx.container;
  const inStepsList = ctx.container.length === 1 && first === 'steps';
  const newStep = ctx.container.length === 2 && first === 'steps' && second === ITEM && ctx.startsItem && ctx.siblings.size === 0;
  // The security team's snippets first, then the shipped ones.
  const snippets = inStepsList || newStep ? snippetItems(ctx, [...extraSnippets, ...STEP_SNIPPETS]) : [];
  return [...fieldItems(ctx), ...snippets];
}

function skeletonItem(word: CompletionEntry['replace']): CompletionEntry {
  return {
    label: SKELETON.prefix,
    kind: 'snippet',
    insertText: SKELETON.body,
    isSnippet: true,
    replace: word,
    detail: SKELETON.name,
    documentation: `${SKELETON.description ?? ''}\n\n\`\`\`yaml\n${SKELETON.body}\n\`\`\``,
    // Before every field, whose sort texts are four characters from `0000`.
    sortText: '0',
  };
}
