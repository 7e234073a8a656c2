/**
 * The names a playbook declares and uses, for go to definition, find references and rename:
 * step ids (declared by `id`, used by `requires`, `next`, `on-failure`), services (keys of
 * `services`, used by a step's `service`) and channels (keys of `channels`, used by a notify
 * step's `channel`). Uses bind as the rules read them: a step reference to the first step with
 * that id (later duplicates are PB003 findings), a service or channel to the key the model kept.
 */
import { isScalar, type Node } from 'yaml';
import type { ParsedPlaybook, PlaybookModel } from '../parse/model.js';
import { scalarText } from '../parse/yamlNodes.js';
import type { OffsetRange } from '../types.js';

export type NameKind = 'step' | 'service' | 'channel';

export interface Occurrence {
  kind: NameKind;
  name: string;
  node: Node;
  /** The name as written: inside the quotes of a quoted scalar, so an edit here keeps the quotes. */
  range: OffsetRange;
  declaration: boolean;
}

/** Every declaration and use in the document, in document order. */
export function occurrences({ model, text }: ParsedPlaybook): Occurrence[] {
  const out: Occurrence[] = [];
  const add = (kind: NameKind, name: string, node: Node | undefined, declaration: boolean): void => {
    if (node?.range) out.push({ kind, name, node, range: nameRange(node, text), declaration });
  };
  for (const step of model.steps) {
    if (step.id !== undefined) add('step', step.id, step.idNode, true);
    for (const ref of step.references) add('step', ref.target, ref.node, false);
    const service = scalarField(step.pairs.get('service')?.value);
    if (service) add('service', service.value, service.node, false);
    const channel = step.action === 'notify' ? scalarField(step.pairs.get('channel')?.value) : undefined;
    if (channel) add('channel', channel.value, channel.node, false);
  }
  for (const service of model.services.values()) add('service', service.name, service.keyNode, true);
  for (const channel of model.channels.values()) add('channel', channel.name, channel.keyNode, true);
  return out.sort((a, b) => a.range.start - b.range.start);
}

/**
 * The occurrence under the cursor. A cursor just after a name, or on its quotes, still counts (the
 * editor puts it there after a double click or while typing), but a name the cursor is inside wins.
 */
export function occurrenceAt(all: readonly Occurrence[], offset: number): Occurrence | undefined {
  return all.find((o) => o.range.start <= offset && offset < o.range.end)
    ?? all.find((o) => o.range.end === offset)
    ?? all.find((o) => o.node.range !== undefined && o.node.range !== null && o.node.range[0] <= offset && offset <= o.node.range[1]);
}

/** The declaration that a use binds to (a declaration binds to itself); undefined for an unknown name. */
export function declarationOf(model: PlaybookModel, all: readonly Occurrence[], occurrence: Occurrence): Occurrence | undefined {
  if (occurrence.declaration) return occurrence;
  const node = declarationNode(model, occurrence.kind, occurrence.name);
  return node && all.find((o) => o.node === node);
}

/**
 * The declaration and the uses bound to it. From a later duplicate step id, that is the duplicate
 * alone: no use binds to it, so renaming it is how to fix the duplicate.
 */
export function bindingOf(model: PlaybookModel, all: readonly Occurrence[], occurrence: Occurrence): { declaration?: Occurrence; uses: Occurrence[] } {
  const declaration = declarationOf(model, all, occurrence);
  const bound = declaration === undefined || declarationNode(model, occurrence.kind, occurrence.name) === declaration.node;
  const uses = bound ? all.filter((o) => !o.declaration && o.kind === occurrence.kind && o.name === occurrence.name) : [];
  return { declaration, uses };
}

function declarationNode(model: PlaybookModel, kind: NameKind, name: string): Node | undefined {
  switch (kind) {
    case 'step':
      return model.steps.find((s) => s.id === name)?.idNode;
    case 'service':
      return model.services.get(name)?.keyNode;
    case 'channel':
      return model.channels.get(name)?.keyNode;
  }
}

/** A scalar's text range without its quotes (when both are there: an unterminated quote is kept). */
export function nameRange(node: Node, text: string): OffsetRange {
  const [start, end] = node.range ?? [0, 0];
  if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) {
    const quote = node.type === 'QUOTE_DOUBLE' ? '"' : "'";
    const closed = end - start >= 2 && text[end - 1] === quote;
    return { start: start + 1, end: closed ? end - 1 : end };
  }
  return { start, end };
}

function scalarField(node: unknown): { value: string; node: Node } | undefined {
  const value = scalarText(node);
  return value === undefined ? undefined : { value, node: node as Node };
}
