/** Builds the PlaybookModel from a parsed YAML document, tolerating any shape. */
import { isMap, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { ChannelModel, PlaybookModel, ReferenceKind, ReleaseItem, ServiceModel, StepModel, StepReference } from './model.js';
import { findPair, getNode, mapKeys, nodeRange, pairsByKey, scalarText, stringItems } from './yamlNodes.js';

const REFERENCE_KINDS: ReferenceKind[] = ['requires', 'next', 'on-failure'];
/** `on-failure` may name these instead of a step. */
export const ON_FAILURE_KEYWORDS = new Set(['abort', 'continue']);

export function emptyModel(): PlaybookModel {
  return { rootIsMap: false, steps: [], services: new Map(), channels: new Map() };
}

export function buildModel(doc: Document.Parsed): PlaybookModel {
  const root = doc.contents;
  const model = emptyModel();
  if (!isMap(root)) return model;
  model.rootIsMap = true;
  model.id = scalarText(getNode(root, 'playbook'));
  model.ownersPair = findPair(root, 'owners');
  const stepsPair = findPair(root, 'steps');
  model.stepsKey = (stepsPair?.key) ?? undefined;
  if (isSeq(stepsPair?.value)) {
    stepsPair.value.items.forEach((item, index) => model.steps.push(buildStep(item as Node, index)));
  }
  for (const { key, pair } of mapKeys(getNode(root, 'services'))) model.services.set(key, buildService(key, pair));
  for (const { key, pair } of mapKeys(getNode(root, 'channels'))) model.channels.set(key, buildChannel(key, pair));
  return model;
}

export function buildChannel(name: string, pair: Pair): ChannelModel {
  return { name, keyNode: pair.key as Node, target: scalarText(pair.value) };
}

/** "step `roll-back`", or "step 3" when the step has no id. */
export function stepLabel(id: string | undefined, index: number): string {
  return id ? `step \`${id}\`` : `step ${index + 1}`;
}

export function buildStep(node: Node, index: number): StepModel {
  const pairs = pairsByKey(node);
  const idNode = pairs.get('id')?.value as Node | undefined;
  const actionNode = pairs.get('action')?.value as Node | undefined;
  const id = scalarText(idNode);
  const references: StepReference[] = [];
  for (const kind of REFERENCE_KINDS) {
    for (const item of stringItems(pairs.get(kind)?.value)) {
      if (kind === 'on-failure' && ON_FAILURE_KEYWORDS.has(item.value)) continue;
      references.push({ kind, target: item.value, node: item.node });
    }
  }
  return {
    index,
    node,
    range: nodeRange(node),
    id,
    idNode: id === undefined ? undefined : idNode,
    action: scalarText(actionNode),
    actionNode,
    label: stepLabel(id, index),
    pairs,
    references,
  };
}

export function buildService(name: string, pair: Pair): ServiceModel {
  const node = (pair.value ?? undefined) as Node | undefined;
  const purlNode = getNode(node, 'package');
  const currentNode = getNode(node, 'current');
  const sbomNode = getNode(node, 'sbom');
  return {
    name,
    keyNode: pair.key as Node,
    node,
    purl: scalarText(purlNode),
    purlNode,
    current: scalarText(currentNode),
    currentNode,
    ...(sbomNode ? { sbom: scalarText(sbomNode), sbomNode } : {}),
    releases: releaseItems(getNode(node, 'releases')),
  };
}

/** Releases in both forms; a mapping without a scalar `version` is no release (the schema says why). */
function releaseItems(node: unknown): ReleaseItem[] {
  if (!isSeq(node)) return stringItems(node);
  const out: ReleaseItem[] = [];
  for (const item of node.items) {
    if (!isMap(item)) {
      const value = scalarText(item);
      if (value !== undefined) out.push({ value, node: item as Node });
      continue;
    }
    const versionNode = getNode(item, 'version');
    const value = scalarText(versionNode);
    if (value === undefined) continue;
    const sbomNode = getNode(item, 'sbom');
    const digest = scalarText(getNode(item, 'digest'));
    const sbom = scalarText(sbomNode);
    out.push({ value, node: versionNode!, ...(digest !== undefined ? { digest } : {}), ...(sbom !== undefined ? { sbom, sbomNode: sbomNode! } : {}) });
  }
  return out;
}
