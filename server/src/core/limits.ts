/** Bounds that keep the checks fast and safe on any input; each hit becomes a PB008 finding. */
export interface Limits {
  /** Largest document checked, in UTF-16 code units (about bytes for ASCII text). */
  maxDocumentLength: number;
  /** Most aliases expanded when the document is turned into plain data. */
  maxAliasCount: number;
  /** Deepest nesting of maps and lists; deeper documents are refused before any recursive step. */
  maxNestingDepth: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDocumentLength: 4 * 1024 * 1024,
  maxAliasCount: 100,
  maxNestingDepth: 64,
};
