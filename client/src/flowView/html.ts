/**
 * The flow view's page shell: a content security policy that allows nothing but this page's own
 * style and its one bundled script (both by nonce), theme colours only, and the controls the
 * script fills in. The diagram itself is drawn by the script (client/webview/). The page carries
 * its playbook's URI, which the script keeps in the webview's state, so that a window reloaded
 * later can bring the view back on the same playbook (panels.ts). When that playbook is gone, the
 * restored panel shows `missingPlaybookHtml` instead.
 */

import { escapeHtml, pageHead } from '../webviewPage';

export interface FlowPage {
  nonce: string;
  cspSource: string;
  scriptUri: string;
  /** The playbook's URI, as `Uri.toString()` writes it. */
  playbookUri: string;
}

export function flowPageHtml({ nonce, cspSource, scriptUri, playbookUri }: FlowPage): string {
  return `${pageHead({ nonce, cspSource, title: 'Flow', style: STYLE })}
<body data-playbook="${escapeHtml(playbookUri)}">
<header>
  <h1 id="title">Flow</h1>
  <div class="toolbar">
    <label for="finding">Light up the paths of</label>
    <select id="finding"></select>
    <button id="toggle" type="button" aria-pressed="false">Show as text</button>
    <div id="zoom" class="zoom" role="group" aria-label="Zoom">
      <button id="zoom-out" type="button" aria-label="Zoom out" aria-keyshortcuts="-" title="Zoom out (-)">&minus;</button>
      <output id="zoom-level" aria-label="Zoom level">100%</output>
      <button id="zoom-in" type="button" aria-label="Zoom in" aria-keyshortcuts="+" title="Zoom in (+)">+</button>
      <button id="zoom-fit" type="button" aria-label="Zoom to fit the whole flow" aria-keyshortcuts="0" title="Fit the whole flow in the view (0)">Fit</button>
    </div>
  </div>
  <p id="focus-message" role="status" aria-live="polite"></p>
  <p id="notice" role="note"></p>
  <ul class="legend" aria-label="Legend">
    <li><span class="key key-security-checkpoint"></span>security checkpoint</li>
    <li><span class="key key-risky-guarded"></span>risky, guarded</li>
    <li><span class="key key-risky-unguarded"></span>risky, not guarded</li>
    <li><span class="key key-notify-security"></span>notifies security</li>
    <li><span class="line line-flow"></span>next</li>
    <li><span class="line line-failure"></span>on failure</li>
    <li><span class="line line-requires"></span>requires</li>
  </ul>
</header>
<main>
  <div id="diagram" class="diagram"></div>
  <section id="text" class="text-view" hidden></section>
</main>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

/**
 * A restored view whose playbook is gone (moved, renamed or deleted while the window was closed):
 * it says so, instead of a blank page. No script; the same policy.
 */
export function missingPlaybookHtml({ nonce, cspSource, file }: { nonce: string; cspSource: string; file: string | undefined }): string {
  const what = file === undefined
    ? 'This flow view could not be restored: it does not say which playbook it showed.'
    : `The playbook this view showed, <code>${escapeHtml(file)}</code>, could not be opened: it was moved, renamed or deleted.`;
  return `${pageHead({ nonce, cspSource, title: 'Flow', style: STYLE })}
<body>
<main class="missing" role="alert">
  <h1>Flow</h1>
  <p>${what}</p>
  <p>Open a playbook and run <strong>Playbook: Show Flow</strong> to see its flow.</p>
</main>
</body>
</html>`;
}

const STYLE = `
html, body { height: 100%; }
[hidden] { display: none !important; }
body { margin: 0; box-sizing: border-box; display: flex; flex-direction: column; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px 16px; }
header { flex: none; }
main { flex: 1; min-height: 0; }
.missing code { font-family: var(--vscode-editor-font-family); }
h1 { font-size: 1.2em; margin: 10px 0 6px; }
h2 { font-size: 1.1em; }
.toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
select, button { font: inherit; color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background); border: 1px solid var(--vscode-dropdown-border, transparent); padding: 2px 6px; }
button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); cursor: pointer; }
button:hover { background: var(--vscode-button-secondaryHoverBackground); }
button[aria-disabled="true"] { opacity: 0.5; cursor: default; }
.zoom { display: flex; align-items: center; gap: 4px; }
.zoom button { min-width: 2em; }
#zoom-level { min-width: 3.5em; text-align: center; color: var(--vscode-descriptionForeground); font-variant-numeric: tabular-nums; }
:focus-visible { outline: 2px solid var(--vscode-focusBorder); outline-offset: 2px; }
#focus-message:empty, #notice:empty { display: none; }
#focus-message code { font-family: var(--vscode-editor-font-family); }
#focus-message { margin: 6px 0; border-left: 3px solid var(--vscode-charts-red); padding: 4px 8px; background: var(--vscode-textBlockQuote-background); white-space: pre-wrap; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 14px; list-style: none; padding: 0; margin: 6px 0; font-size: 0.9em; color: var(--vscode-descriptionForeground); }
.legend li { display: flex; align-items: center; gap: 6px; }
.key { display: inline-block; width: 14px; height: 10px; border: 2px solid var(--vscode-foreground); border-radius: 2px; }
.key-security-checkpoint { border-color: var(--vscode-charts-blue); }
.key-risky-guarded { border-color: var(--vscode-charts-green); }
.key-risky-unguarded { border-color: var(--vscode-charts-red); border-width: 3px; }
.key-notify-security { border-color: var(--vscode-charts-yellow); border-left-width: 6px; }
.line { display: inline-block; width: 24px; border-top: 2px solid var(--vscode-foreground); }
.line-failure { border-top-style: dashed; }
.line-requires { border-top-style: dotted; }
.diagram, .text-view { height: 100%; overflow: auto; }
.diagram { cursor: grab; user-select: none; touch-action: none; border: 1px solid var(--vscode-panel-border, transparent); box-sizing: border-box; }
.diagram.panning { cursor: grabbing; }
svg.flow { display: block; }
.edge { fill: none; stroke: var(--vscode-editorLineNumber-foreground, var(--vscode-foreground)); stroke-width: 1.5; }
.edge-failure { stroke-dasharray: 6 4; }
.edge-requires { stroke-dasharray: 2 3; }
.arrow path { fill: var(--vscode-editorLineNumber-foreground, var(--vscode-foreground)); }
.arrow-hot path { fill: var(--vscode-charts-red); }
.node { cursor: pointer; }
.node .shape { fill: var(--vscode-editorWidget-background, var(--vscode-editor-background)); stroke: var(--vscode-foreground); stroke-width: 1.5; }
.node text { fill: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
.node .label { font-weight: 600; }
.node .detail { fill: var(--vscode-descriptionForeground); }
.kind-checkpoint .shape { stroke: var(--vscode-descriptionForeground); }
.kind-security-checkpoint .shape { stroke: var(--vscode-charts-blue); stroke-width: 2.5; }
.kind-risky-guarded .shape { stroke: var(--vscode-charts-green); stroke-width: 2.5; }
.kind-risky-unguarded .shape { stroke: var(--vscode-charts-red); stroke-width: 3.5; }
.kind-notify-security .shape { stroke: var(--vscode-charts-yellow); stroke-width: 2; }
.kind-notify-security .badge { fill: var(--vscode-charts-yellow); }
.kind-end .shape { stroke: var(--vscode-descriptionForeground); }
.node:focus { outline: none; }
.node:focus .shape { stroke: var(--vscode-focusBorder); stroke-width: 4; }
.focused .node:not(.hot), .focused .edge:not(.hot) { opacity: 0.3; }
.edge.hot { stroke: var(--vscode-charts-red); stroke-width: 3; opacity: 1; }
.node.flagged .shape { stroke-width: 5; }
.text-view ol { padding-left: 2em; }
.text-view li { margin: 2px 0; }
.text-view li.hot { border-left: 3px solid var(--vscode-charts-red); padding-left: 6px; }
.step-link { font-weight: 600; padding: 0 4px; }
@media (forced-colors: active) { .edge.hot { stroke: Highlight; } .node.flagged .shape { stroke: Highlight; } }
`;
