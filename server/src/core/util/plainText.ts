/**
 * Messages name things in `code spans`: hovers, the flow view and Markdown reports render them.
 * Surfaces that show text as it is (the Problems panel, code lenses, quick fix titles, completion
 * details, the terminal) would show the backticks themselves, so there a span becomes a quoted
 * name: `roll-back` → 'roll-back'.
 */
export function plainText(text: string): string {
  return text.includes('`') ? text.replace(/`([^`\n]+)`/g, "'$1'") : text;
}
