/** The typed view of a playbook that rules read: steps, services and channels with their nodes. */
import type { Document, Node, Pair } from 'yaml';
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
  releases: ListItem[];
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
}
