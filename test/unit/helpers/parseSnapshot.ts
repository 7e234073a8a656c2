/** Everything a parse hands the rules, as plain data, so two parses of the same text can be compared whole. */
import { isPair, isScalar, type Node } from 'yaml';
import type { ParsedPlaybook } from '../../../server/src/core/parse/model.js';

export function parseSnapshot(parsed: ParsedPlaybook): unknown {
  const { model } = parsed;
  return {
    text: parsed.text,
    data: parsed.data,
    parseFindings: parsed.parseFindings,
    documentRange: parsed.yaml?.range,
    nodes: parsed.yaml ? nodesOf(parsed.yaml.contents) : undefined,
    model: {
      id: model.id,
      rootIsMap: model.rootIsMap,
      stepsKey: model.stepsKey?.range,
      owners: (model.ownersPair?.key as Node | undefined)?.range,
      steps: model.steps.map((s) => ({
        index: s.index,
        range: s.range,
        nodeRange: s.node.range,
        id: s.id,
        idNode: s.idNode?.range,
        action: s.action,
        actionNode: s.actionNode?.range,
        label: s.label,
        keys: [...s.pairs.keys()],
        references: s.references.map((r) => [r.kind, r.target, r.node.range]),
      })),
      services: [...model.services].map(([name, s]) => [name, s.keyNode.range, s.node?.range, s.purl, s.current, s.currentNode?.range, s.releases.map((r) => [r.value, r.node.range])]),
      channels: [...model.channels].map(([name, c]) => [name, c.keyNode.range, c.target]),
    },
  };
}

/** Every node in document order with its kind, range and (for scalars) value and style; comments left out. */
function nodesOf(root: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') {
      out.push(String(node));
      continue;
    }
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    const n = node as Node & { items?: unknown[]; flow?: boolean };
    const kind = isScalar(n) ? `scalar(${n.type}:${JSON.stringify(n.value)}:${JSON.stringify((n as { source?: unknown }).source)})` : `${n.constructor.name}${n.flow ? '(flow)' : ''}`;
    out.push(`${kind} ${JSON.stringify(n.range)} ${n.tag ?? ''}`);
    if (Array.isArray(n.items)) for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
  }
  return out;
}
