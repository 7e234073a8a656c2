/**
 * The flow view's page: draws the diagram (or, past the size the view draws, the text alone),
 * lights up the paths of the chosen finding, and tells the extension which step to reveal. The
 * same content is always available as text: a list of steps with where each one leads.
 */
import type { FlowViewResult } from '../../../server/src/shared/protocol';
import type { FromFlowView, ToFlowView } from '../../src/flowView/messages';
import { drawDiagram, type DrawnDiagram } from './diagram';
import { renderTextView } from './textView';

interface VsCodeApi {
  postMessage(message: FromFlowView): void;
  getState(): PageState | undefined;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PageState {
  textOnly: boolean;
}

const vscode = acquireVsCodeApi();
const state: PageState = vscode.getState() ?? { textOnly: false };
let view: FlowViewResult | undefined;
let focus: number | undefined;
let drawn: DrawnDiagram | undefined;

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const title = byId<HTMLHeadingElement>('title');
const findingSelect = byId<HTMLSelectElement>('finding');
const toggle = byId<HTMLButtonElement>('toggle');
const status = byId<HTMLParagraphElement>('focus-message');
const diagramBox = byId<HTMLDivElement>('diagram');
const textBox = byId<HTMLElement>('text');
const notice = byId<HTMLParagraphElement>('notice');

window.addEventListener('message', (event: MessageEvent<ToFlowView>) => {
  const message = event.data;
  if (message.type === 'update') {
    view = message.view;
    focus = message.focus;
    title.textContent = `Flow of ${message.view.name ?? message.file}`;
    render();
  } else if (message.type === 'focus') {
    focus = message.focus;
    showFocus();
  }
});

findingSelect.addEventListener('change', () => {
  focus = findingSelect.value === '' ? undefined : Number(findingSelect.value);
  vscode.postMessage({ type: 'focus', ...(focus !== undefined ? { focus } : {}) });
  showFocus();
});

toggle.addEventListener('click', () => {
  state.textOnly = !state.textOnly;
  vscode.setState(state);
  showMode();
});

function render(): void {
  if (!view) return;
  const focused = document.activeElement instanceof Element ? document.activeElement.getAttribute('data-key') : null;
  fillFindings(view);
  diagramBox.replaceChildren();
  drawn = undefined;
  if (view.drawn) {
    drawn = drawDiagram(view, measurer());
    diagramBox.append(drawn.svg);
    drawn.svg.addEventListener('keydown', onDiagramKey);
    drawn.svg.addEventListener('click', (event) => {
      const key = nodeKeyOf(event.target);
      if (key) reveal(key);
    });
    notice.textContent = '';
  } else {
    notice.textContent = `This playbook has ${view.nodes.length - 1} steps, more than the ${view.maxDrawn} the view draws: its flow is listed as text.`;
  }
  textBox.replaceChildren(renderTextView(view, reveal));
  showMode();
  showFocus();
  // Typing re-draws the view: the step that had the keyboard keeps it.
  if (focused) document.querySelector<HTMLElement | SVGElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}

function fillFindings(current: FlowViewResult): void {
  const options = [new Option(current.findings.length ? 'no finding' : 'no path finding in this playbook', '')];
  current.findings.forEach((finding, i) => {
    const step = current.nodes.find((n) => n.step === finding.step)?.label ?? `step ${finding.step + 1}`;
    options.push(new Option(`${finding.ruleId} on ${step}${finding.suppressed !== undefined ? ' (suppressed)' : ''}`, String(i)));
  });
  findingSelect.replaceChildren(...options);
  findingSelect.disabled = current.findings.length === 0;
}

function showMode(): void {
  const textOnly = state.textOnly || !view?.drawn;
  diagramBox.hidden = textOnly;
  textBox.hidden = !textOnly;
  toggle.hidden = !view?.drawn;
  toggle.setAttribute('aria-pressed', String(state.textOnly));
  toggle.textContent = state.textOnly ? 'Show the diagram' : 'Show as text';
}

function showFocus(): void {
  if (!view) return;
  const finding = focus === undefined ? undefined : view.findings[focus];
  findingSelect.value = finding ? String(focus) : '';
  const hotNodes = new Set(finding?.nodes ?? []);
  const hotEdges = new Set(finding?.edges ?? []);
  const flagged = finding ? `s${finding.step}` : undefined;
  if (drawn) {
    drawn.svg.classList.toggle('focused', finding !== undefined);
    for (const [key, node] of drawn.nodes) {
      node.classList.toggle('hot', hotNodes.has(key));
      node.classList.toggle('flagged', key === flagged);
    }
    drawn.edges.forEach((edge, i) => {
      edge.classList.toggle('hot', hotEdges.has(i));
      // A marker takes no colour from its line: a lit-up edge points with the lit-up arrow.
      edge.setAttribute('marker-end', `url(#arrow-${hotEdges.has(i) ? 'hot' : view!.edges[i]!.kind})`);
    });
  }
  for (const item of textBox.querySelectorAll<HTMLElement>('[data-step-key]')) item.classList.toggle('hot', hotNodes.has(item.dataset.stepKey!));
  status.replaceChildren(...(finding ? withCode(`${finding.ruleId}: ${finding.message}${finding.suppressed !== undefined ? ` (suppressed: ${finding.suppressed})` : ''}`) : []));
}

/** A finding's message, its \`quoted\` names set as code (the webview renders what plain-text surfaces cannot). */
function withCode(message: string): Node[] {
  return message.split('`').map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const code = document.createElement('code');
    code.textContent = part;
    return code;
  });
}

function reveal(key: string): void {
  vscode.postMessage({ type: 'reveal', key });
}

function nodeKeyOf(target: EventTarget | null): string | undefined {
  const node = target instanceof Element ? target.closest('[data-key]') : null;
  return node?.getAttribute('data-key') ?? undefined;
}

/** Enter or Space shows the step; Down follows the flow, Right the failure edge, Up goes back, Home and End jump. */
function onDiagramKey(event: KeyboardEvent): void {
  if (!view || !drawn) return;
  const key = nodeKeyOf(event.target);
  if (!key) return;
  let next: string | undefined;
  const out = view.edges.filter((e) => e.from === key && e.kind !== 'requires');
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    reveal(key);
    return;
  } else if (event.key === 'ArrowDown') next = (out.find((e) => e.kind === 'flow') ?? out[0])?.to;
  else if (event.key === 'ArrowRight') next = (out.find((e) => e.kind === 'failure') ?? out[1] ?? out[0])?.to;
  else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') next = view.edges.find((e) => e.to === key && e.kind !== 'requires')?.from;
  else if (event.key === 'Home') next = view.nodes[0]?.key;
  else if (event.key === 'End') next = view.nodes[view.nodes.length - 1]?.key;
  else return;
  event.preventDefault();
  if (next) drawn.nodes.get(next)?.focus();
}

function measurer(): (text: string, bold: boolean) => number {
  const context = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(document.body);
  return (text, bold) => {
    if (!context) return text.length * 7.5;
    context.font = `${bold ? '600 ' : ''}${style.fontSize} ${style.fontFamily}`;
    return context.measureText(text).width;
  };
}

vscode.postMessage({ type: 'ready' });
