/** The typed view of a playbook that rules read: steps, services and channels with their nodes. */
import type { Document, Node, Pair } from 'yaml';
import type { Limits } from '../limits.js';
import type { Finding, OffsetRange } from '../types.js';
import type { ListItem } from './yamlNodes.js';

export type ReferenceKind = 'requires' | 'next' | 'on-failure';

export interface StepReference {
  kind: ReferenceKind;
  target: string;
  node: Node;
}

export interface StepModel {
  index: number;
  /** The sequence item itself (usually a map; anything else is a PB002 finding). */
  node: Node;
  range: OffsetRange;
  id?: string;
  idNode?: Node;
  action?: string;
  actionNode?: Node;
  /** "step `roll-back`", or "step 3" when the id is missing. */
  label: string;
  pairs: Map<string, Pair>;
  references: StepReference[];
}

export interface ServiceModel {
  name: string;
  keyNode: Node;
  node: Node | undefined;
  purl?: string;
  purlNode?: Node;
  current?: string;
  currentNode?: Node;
  /** The path template of each release's SBOM (`sboms/checkout/{version}.cdx.json`), relative to the playbook. */
  sbom?: string;
  sbomNode?: Node;
  releases: ReleaseItem[];
}

/**
 * A known release, written `2.3.0` or `{version: 2.3.1, digest: sha256:…, sbom: …}`. In both forms
 * `value` is the version and `node` its scalar, so whatever reads versions reads both alike.
 */
export interface ReleaseItem extends ListItem {
  digest?: string;
  /** This release's own SBOM, relative to the playbook (wins over the service's template). */
  sbom?: string;
  sbomNode?: Node;
}

export interface ChannelModel {
  name: string;
  keyNode: Node;
  target?: string;
}

export interface PlaybookModel {
  id?: string;
  rootIsMap: boolean;
  steps: StepModel[];
  /** The `steps` key, when present, for findings about the list as a whole. */
  stepsKey?: Node;
  services: Map<string, ServiceModel>;
  channels: Map<string, ChannelModel>;
  ownersPair?: Pair;
}

export interface ParsedPlaybook {
  text: string;
  /** Undefined when the input was refused before parsing (binary, over a limit). */
  yaml?: Document.Parsed;
  /** The document as plain data for the schema; undefined when refused or not expandable. */
  data: unknown;
  /** PB001 (and limit) findings from reading the text. */
  parseFindings: Finding[];
  model: PlaybookModel;
  /** Where aliases (`*name`) are written; their values are copies of the anchored nodes (expandAliases.ts). */
  aliasUses?: OffsetRange[];
  /** Present when a later version may re-parse only the step or top-level block an edit touched (see reparse.ts). */
  incremental?: IncrementalBase;
  /** Present when this parse was built on an earlier one by re-parsing one part of it: what changed. */
  change?: ParseChange;
}

/**
 * An incremental re-parse's account of the edit, for a check that reuses what the edit cannot have
 * changed (check.ts): the rules that read none of `key` keep their findings, moved by `delta`.
 */
export interface ParseChange {
  /** The parse this one was built on. Its tree now belongs to this one; only its check's findings may still be read. */
  from: ParsedPlaybook;
  /** The top-level key whose block the edit fell in (`steps` for an edit inside one step). */
  key: string;
  /** For an edit inside one step: which (its index, the same before and after). */
  stepIndex?: number;
  /** Positions at or after `at` in the earlier text are at `+ delta` in this one; those before it did not move. */
  at: number;
  delta: number;
}

/** What an incremental re-parse needs from the parse it builds on. */
export interface IncrementalBase {
  limits: Limits;
  /** Column of the `steps` key, and of the dashes of its block list. */
  keyIndent: number;
  seqIndent: number;
  /** Set once a newer version has taken this parse's tree over (its nodes then belong to that version). */
  consumed: boolean;
}
