/**
 * The flow as text, the diagram's alternative for screen readers and for playbooks too large to
 * draw: each step in list order with what it is and where it leads (then, on failure, requires).
 * Each step's name is a button that shows it in the editor.
 */
import type { FlowViewResult } from '../../../server/src/shared/protocol';

export function renderTextView(view: FlowViewResult, reveal: (key: string) => void): HTMLElement {
  const section = document.createElement('section');
  const heading = document.createElement('h2');
  heading.textContent = 'The flow as text';
  const list = document.createElement('ol');
  const labels = new Map(view.nodes.map((n) => [n.key, n.label]));
  const named = (key: string): string => labels.get(key) ?? key;
  for (const node of view.nodes) {
    if (node.kind === 'end') continue;
    const item = document.createElement('li');
    item.dataset.stepKey = node.key;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'step-link';
    button.textContent = node.label;
    button.dataset.key = node.key;
    button.addEventListener('click', () => reveal(node.key));
    const parts = node.caption.slice(1);
    const leads = (kind: 'flow' | 'failure'): string[] => view.edges.filter((e) => e.from === node.key && e.kind === kind).map((e) => named(e.to));
    const then = leads('flow');
    const failure = leads('failure');
    const requires = view.edges.filter((e) => e.to === node.key && e.kind === 'requires').map((e) => named(e.from));
    if (then.length) parts.push(`then ${then.join(' or ')}`);
    if (failure.length) parts.push(`on failure ${failure.join(' or ')}`);
    if (requires.length) parts.push(`requires ${requires.join(', ')}`);
    const details = document.createElement('span');
    details.textContent = parts.length ? ` — ${parts.join('; ')}` : '';
    item.append(button, details);
    list.append(item);
  }
  section.append(heading, list);
  return section;
}
