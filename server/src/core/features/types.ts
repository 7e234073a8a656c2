/**
 * The editor features of the core, as pure functions over one checked document. The language
 * server converts offsets to positions and these shapes to LSP types; nothing here knows LSP.
 */
import type { CheckResult } from '../check.js';
import type { Finding, OffsetRange } from '../types.js';

/** One checked document: what every feature reads. */
export type Analysis = CheckResult;

export interface TextEdit {
  range: OffsetRange;
  newText: string;
}

export interface FixAction {
  title: string;
  kind: 'quickfix' | 'source.fixAll';
  /** The finding it fixes (absent for source actions). */
  finding?: Finding;
  isPreferred?: boolean;
  edits: TextEdit[];
}

export type CompletionKind = 'field' | 'value' | 'action' | 'step' | 'service' | 'channel' | 'version' | 'snippet' | 'keyword';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  /** Text to insert; a snippet (with $1 placeholders) when `isSnippet`. */
  insertText: string;
  isSnippet?: boolean;
  /** The range the insertion replaces (the word being typed). */
  replace: OffsetRange;
  detail?: string;
  documentation?: string;
  sortText?: string;
  /** Shown struck through, e.g. a version an advisory affects. */
  deprecated?: boolean;
}

export interface HoverResult {
  markdown: string;
  range: OffsetRange;
}

type SymbolKindName = 'step' | 'service' | 'channel' | 'field';

export interface SymbolEntry {
  name: string;
  detail: string;
  kind: SymbolKindName;
  range: OffsetRange;
  selectionRange: OffsetRange;
  children?: SymbolEntry[];
}

export interface LensEntry {
  range: OffsetRange;
  title: string;
  /** A client command to run when clicked, with its arguments (offsets, ids). */
  command?: { id: string; arguments: unknown[] };
}

export type RenameResult = { edits: TextEdit[] } | { error: string };
