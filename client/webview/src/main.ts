/**
 * The flow view's page: draws the diagram (or, past the size the view draws, the text alone),
 * lights up the paths of the chosen finding, and tells the extension which step to reveal. The
 * same content is always available as text: a list of steps with where each one leads.
 *
 * The paths lit up are the server's answer for the focused finding (`view.highlight`): a finding
 * picked in the list is asked for, and lights up when the update comes. An update whose drawing is
 * the one shown (only the findings or the focus changed) is not laid out again.
 *
 * What the page shows is kept in the webview's state: the playbook (so a reloaded window restores
 * the view on it, client/src/flowView/panels.ts), the finding lit up, the zoom, text or diagram.
 */
import type { FlowFocus, FlowViewResult } from '../../../server/src/shared/protocol';
import type { FromFlowView, ToFlowView } from '../../src/flowView/messages';
import { drawDiagram, type DrawnDiagram } from './diagram';
import { renderTextView } from './textView';
import { diagramViewport } from './viewport';

interface VsCodeApi {
  postMessage(message: FromFlowView): void;
  getState(): PageState | undefined;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Read back by the extension when it restores the panel: keep the names in step with panels.ts's `SavedFlow`. */
interface PageState {
  textOnly: boolean;
  /** The playbook's URI. */
  uri?: string;
  /** The finding lit up. */
  focus?: FlowFocus;
  zoom?: number;
}

const vscode = acquireVsCodeApi();
const state: PageState = { textOnly: false, ...vscode.getState() };
const save = (): void => vscode.setState(state);
let view: FlowViewResult | undefined;
/** The paths lit up: the latest update's, until the list says none. */
let highlight: FlowViewResult['highlight'];
/** What the current drawing and text view were made from (drawingOf): an update with the same one re-draws nothing. */
let drawing: string | undefined;
let drawn: DrawnDiagram | undefined;
/** The finding whose flagged step was last brought into view: a re-draw of the same one does not scroll again. */
let revealedFocus: string | undefined;

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const title = byId<HTMLHeadingElement>('title');
const findingSelect = byId<HTMLSelectElement>('finding');
const toggle = byId<HTMLButtonElement>('toggle');
const status = byId<HTMLParagraphElement>('focus-message');
const diagramBox = byId<HTMLDivElement>('diagram');
const textBox = byId<HTMLElement>('text');
const notice = byId<HTMLParagraphElement>('notice');
const zoomGroup = byId<HTMLDivElement>('zoom');
const viewport = diagramViewport(diagramBox, {
  zoomIn: byId<HTMLButtonElement>('zoom-in'),
  zoomOut: byId<HTMLButtonElement>('zoom-out'),
  fit: byId<HTMLButtonElement>('zoom-fit'),
  level: byId<HTMLOutputElement>('zoom-level'),
}, state.zoom ?? 1, (zoom) => {
  state.zoom = zoom;
  save();
});

// The page says which playbook it shows from the start: a window reloaded before the first drawing still restores it.
state.uri = document.body.dataset.playbook ?? state.uri;
save();

window.addEventListener('message', (event: MessageEvent<ToFlowView>) => {
  const message = event.data;
  if (message.type === 'update') {
    view = message.view;
    highlight = view.highlight;
    title.textContent = `Flow of ${message.view.name ?? message.file}`;
    const next = drawingOf(view);
    if (next !== drawing) {
      drawing = next;
      render();
    } else {
      fillFindings(view);
      showFocus();
    }
  }
});

findingSelect.addEventListener('change', () => {
  if (!view) return;
  const finding = findingSelect.value === '' ? undefined : view.findings[Number(findingSelect.value)];
  const focus = finding ? { ruleId: finding.ruleId, step: finding.step } : undefined;
  vscode.postMessage({ type: 'focus', ...(focus ? { focus } : {}) });
  // Kept at once, so a reload before the answer restores the new choice.
  state.focus = focus;
  save();
  if (!focus) {
    // Nothing to wait for: the paths go out now.
    highlight = undefined;
    showFocus();
  }
});

toggle.addEventListener('click', () => {
  state.textOnly = !state.textOnly;
  save();
  showMode();
});

function render(): void {
  if (!view) return;
  const focused = document.activeElement instanceof Element ? document.activeElement.getAttribute('data-key') : null;
  fillFindings(view);
  drawn = undefined;
  if (view.drawn) {
    drawn = drawDiagram(view, measurer());
    drawn.svg.addEventListener('keydown', onDiagramKey);
    drawn.svg.addEventListener('click', (event) => {
      const key = nodeKeyOf(event.target);
      if (key) reveal(key);
    });
    // However a node gets the keyboard (Tab, the arrows, Home, End), it is scrolled into view.
    drawn.svg.addEventListener('focusin', (event) => {
      if (event.target instanceof Element) viewport.reveal(event.target);
    });
    notice.textContent = '';
  } else {
    notice.textContent = `This playbook has ${view.nodes.length - 1} steps, more than the ${view.maxDrawn} the view draws: its flow is listed as text.`;
  }
  viewport.show(drawn);
  textBox.replaceChildren(renderTextView(view, reveal));
  showMode();
  showFocus();
  // Typing re-draws the view: the step that had the keyboard keeps it.
  if (focused) document.querySelector<HTMLElement | SVGElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
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
  zoomGroup.hidden = textOnly;
  toggle.setAttribute('aria-pressed', String(state.textOnly));
  toggle.textContent = state.textOnly ? 'Show the diagram' : 'Show as text';
}

/** Everything the drawing and the text view show, bar the lit-up paths and the findings. */
function drawingOf(current: FlowViewResult): string {
  return JSON.stringify([current.drawn, current.maxDrawn, current.nodes.map(({ range: _range, ...node }) => node), current.edges]);
}

function showFocus(): void {
  if (!view) return;
  const finding = highlight ? view.findings[highlight.finding] : undefined;
  const lit = finding ? highlight : undefined;
  findingSelect.value = lit ? String(lit.finding) : '';
  const hotNodes = new Set(lit?.nodes);
  const hotEdges = new Set(lit?.edges);
  const flagged = finding ? `s${finding.step}` : undefined;
  state.focus = finding ? { ruleId: finding.ruleId, step: finding.step } : undefined;
  save();
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
  // A newly lit-up finding (from a code lens, the cursor or the list) brings its step into view,
  // once its message above the diagram has taken its room.
  const shown = finding ? `${finding.ruleId} ${finding.step}` : undefined;
  if (shown !== revealedFocus && flagged && drawn && !diagramBox.hidden) {
    const node = drawn.nodes.get(flagged);
    if (node) viewport.reveal(node);
  }
  revealedFocus = shown;
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
  // Scrolled by the focus handler, by no more than it takes.
  if (next) drawn.nodes.get(next)?.focus({ preventScroll: true });
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

showMode(); // nothing but the header until the first view arrives
vscode.postMessage({ type: 'ready' });
