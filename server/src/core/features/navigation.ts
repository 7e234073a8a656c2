/**
 * Go to definition and find references over step ids, services and channels (see symbolAt.ts for
 * what is declared and used where). Ranges are the names as written, inside any quotes.
 */
import type { OffsetRange } from '../types.js';
import { bindingOf, declarationOf, occurrenceAt, occurrences } from './symbolAt.js';
import type { Analysis } from './types.js';

export { prepareRename, rename } from './rename.js';

/** The declaration of the name at `offset` (itself on a declaration); empty for an unknown name or nothing. */
export function definition(analysis: Analysis, offset: number): OffsetRange[] {
  const all = occurrences(analysis.parsed);
  const at = occurrenceAt(all, offset);
  const declaration = at && declarationOf(analysis.parsed.model, all, at);
  return declaration ? [declaration.range] : [];
}

/**
 * The uses of the name at `offset`, from its declaration or any use, and the declaration when asked
 * for, in document order. An unknown name still lists its uses, which helps find a typo's spread.
 */
export function references(analysis: Analysis, offset: number, includeDeclaration: boolean): OffsetRange[] {
  const all = occurrences(analysis.parsed);
  const at = occurrenceAt(all, offset);
  if (!at) return [];
  const { declaration, uses } = bindingOf(analysis.parsed.model, all, at);
  const found = includeDeclaration && declaration ? [declaration, ...uses] : uses;
  return found.map((o) => o.range).sort((a, b) => a.start - b.start);
}
