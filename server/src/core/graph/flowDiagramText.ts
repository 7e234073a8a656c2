/**
 * The flow diagram as text other tools draw: Mermaid (GitHub renders it in pull requests and
 * Markdown) and Graphviz DOT. Written here rather than with a library: both are a few lines of a
 * stable syntax, and what matters is escaping labels so a step id can never break out of one.
 * `highlight` marks a path (the dry-run's): its nodes and the edges between consecutive ones.
 */
import type { DiagramEdge, DiagramNode, FlowDiagram } from './flowDiagram.js';

export interface DiagramTextOptions {
  /** Node keys of a path to draw heavier, in order. */
  highlight?: readonly string[];
}

const WORDS: Record<DiagramNode['kind'], string> = {
  step: '',
  checkpoint: 'checkpoint',
  'security-checkpoint': 'security checkpoint',
  'risky-guarded': 'risky, guarded',
  'risky-unguarded': 'risky, NOT guarded',
  'notify-security': 'notifies security',
  end: '',
};

/** The node's text: its id, then what it does, then what it is for security. */
export function diagramCaption(node: DiagramNode): string[] {
  return [node.label, ...(node.action !== undefined && node.action !== 'checkpoint' ? [node.action] : []), ...(WORDS[node.kind] ? [WORDS[node.kind]] : [])];
}

function highlighted(edges: readonly DiagramEdge[], path: readonly string[] | undefined): Set<DiagramEdge> {
  const out = new Set<DiagramEdge>();
  if (!path) return out;
  for (let i = 0; i + 1 < path.length; i++) {
    const edge = edges.find((e) => e.kind !== 'requires' && e.from === path[i] && e.to === path[i + 1]);
    if (edge) out.add(edge);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/** Mermaid's entity codes for what would end or break a quoted label. */
const mermaidText = (text: string): string => text.replace(/[#"<>`\\]/g, (c) => `#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ');

const MERMAID_SHAPES: Record<DiagramNode['kind'], [string, string]> = {
  step: ['(', ')'],
  checkpoint: ['{{', '}}'],
  'security-checkpoint': ['{{', '}}'],
  'risky-guarded': ['[', ']'],
  'risky-unguarded': ['[', ']'],
  'notify-security': ['[/', '/]'],
  end: ['((', '))'],
};

const MERMAID_CLASSES = [
  'classDef securityCheckpoint fill:#dbeafe,stroke:#1d4ed8,stroke-width:2px',
  'classDef checkpoint fill:#f1f5f9,stroke:#475569',
  'classDef guarded fill:#dcfce7,stroke:#15803d',
  'classDef unguarded fill:#fee2e2,stroke:#b91c1c,stroke-width:3px',
  'classDef notifySecurity fill:#fef9c3,stroke:#a16207',
  'classDef onPath stroke:#7c3aed,stroke-width:4px',
];

const MERMAID_CLASS: Partial<Record<DiagramNode['kind'], string>> = {
  'security-checkpoint': 'securityCheckpoint',
  checkpoint: 'checkpoint',
  'risky-guarded': 'guarded',
  'risky-unguarded': 'unguarded',
  'notify-security': 'notifySecurity',
};

export function mermaidDiagram(diagram: FlowDiagram, options: DiagramTextOptions = {}): string {
  const lines = ['flowchart TD'];
  for (const node of diagram.nodes) {
    const [open, close] = MERMAID_SHAPES[node.kind];
    lines.push(`  ${node.key}${open}"${diagramCaption(node).map(mermaidText).join('<br/>')}"${close}`);
  }
  const onPath = highlighted(diagram.edges, options.highlight);
  const styles: string[] = [];
  diagram.edges.forEach((edge, i) => {
    const arrow = edge.kind === 'flow' ? (onPath.has(edge) ? '==>' : '-->') : edge.kind === 'failure' ? '-. on failure .->' : '-. requires .->';
    lines.push(`  ${edge.from} ${arrow} ${edge.to}`);
    if (edge.kind === 'failure') styles.push(`  linkStyle ${i} stroke-dasharray:6 4${onPath.has(edge) ? ',stroke-width:4px' : ''}`);
    if (edge.kind === 'requires') styles.push(`  linkStyle ${i} stroke-dasharray:2 3,stroke:#64748b`);
  });
  lines.push(...styles, ...MERMAID_CLASSES.map((c) => `  ${c}`));
  for (const node of diagram.nodes) {
    const cls = MERMAID_CLASS[node.kind];
    if (cls) lines.push(`  class ${node.key} ${cls}`);
  }
  const path = new Set(options.highlight ?? []);
  if (path.size) lines.push(`  class ${diagram.nodes.filter((n) => path.has(n.key)).map((n) => n.key).join(',')} onPath`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Graphviz DOT

/** A quoted DOT string of these lines (`\\n` between them): backslashes and quotes escaped, so no label ends early. */
const dotText = (lines: readonly string[]): string => `"${lines.map((l) => l.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')).join('\\n')}"`;

const DOT_NODES: Record<DiagramNode['kind'], string> = {
  step: 'shape=box, style="rounded"',
  checkpoint: 'shape=hexagon, style=filled, fillcolor="#f1f5f9"',
  'security-checkpoint': 'shape=hexagon, style=filled, fillcolor="#dbeafe", penwidth=2',
  'risky-guarded': 'shape=box, style=filled, fillcolor="#dcfce7"',
  'risky-unguarded': 'shape=box, style=filled, fillcolor="#fee2e2", color="#b91c1c", penwidth=3',
  'notify-security': 'shape=parallelogram, style=filled, fillcolor="#fef9c3"',
  end: 'shape=doublecircle',
};

export function dotDiagram(diagram: FlowDiagram, options: DiagramTextOptions = {}): string {
  const path = new Set(options.highlight ?? []);
  const onPath = highlighted(diagram.edges, options.highlight);
  const lines = ['digraph playbook {', '  rankdir=TB;', '  node [fontname="Helvetica"];'];
  for (const node of diagram.nodes) {
    lines.push(`  ${node.key} [label=${dotText(diagramCaption(node))}, ${DOT_NODES[node.kind]}${path.has(node.key) ? ', color="#7c3aed", penwidth=4' : ''}];`);
  }
  for (const edge of diagram.edges) {
    const style = edge.kind === 'failure' ? 'style=dashed, label="on failure"' : edge.kind === 'requires' ? 'style=dotted, label="requires", color="#64748b"' : 'style=solid';
    lines.push(`  ${edge.from} -> ${edge.to} [${style}${onPath.has(edge) ? ', color="#7c3aed", penwidth=3' : ''}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
