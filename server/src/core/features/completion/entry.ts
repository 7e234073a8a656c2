/** The common part of a value completion: the text, the range it replaces, its place in the list. */
import type { CompletionEntry, CompletionKind } from '../types.js';
import type { CursorContext } from './cursorContext.js';

export function item(ctx: CursorContext, label: string, kind: CompletionKind, index: number): CompletionEntry {
  return { label, kind, insertText: (ctx.needsSpace ? ' ' : '') + label, replace: ctx.word, sortText: String(index).padStart(4, '0') };
}
