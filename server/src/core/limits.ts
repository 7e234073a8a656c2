/** Bounds that keep the checks fast and safe on any input; each hit becomes a PB008 finding. */
export interface Limits {
  /** Largest document checked, in UTF-16 code units (about bytes for ASCII text). */
  maxDocumentLength: number;
  /** Most aliases expanded when the document is turned into plain data. */
  maxAliasCount: number;
  /** Deepest nesting of maps and lists; deeper documents are refused before any recursive step. */
  maxNestingDepth: number;
  /** Most steps in one playbook. */
  maxSteps: number;
  /** Longest line, in characters. */
  maxLineLength: number;
  /** Deepest chain of aliases inside anchored nodes (`&a [*b]`, `&b [*c]`, …), apart from their count. */
  maxAliasDepth: number;
  /** Most nodes that aliases may copy into the document when they are expanded (each use copies its anchor's nodes). */
  maxAliasNodes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDocumentLength: 4 * 1024 * 1024,
  maxAliasCount: 100,
  maxNestingDepth: 64,
  maxSteps: 10_000,
  maxLineLength: 1_000_000,
  maxAliasDepth: 8,
  maxAliasNodes: 100_000,
};

/** The limits in force: the defaults, then what the policy sets, then what the caller sets. */
export function effectiveLimits(...layers: Array<Partial<Limits> | undefined>): Limits {
  const out: Limits = { ...DEFAULT_LIMITS };
  for (const layer of layers) {
    for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>) {
      const value = layer?.[key];
      if (typeof value === 'number') out[key] = value;
    }
  }
  return out;
}
