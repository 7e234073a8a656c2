/**
 * Core cost against the YAML parse floor on generated playbooks: the rules (everything after the
 * parse) must cost well under the parse itself. Prints a table and writes bench-results/core.json.
 * The clean playbooks are the target; the branching ones are the path rules' worst case (every
 * change flagged, each with more than 1,000 paths counted and three listed), shown for comparison.
 *
 * Then one flow-view refresh on the branching playbooks (what the language server does for
 * `playbook/flowView` ~250 ms after each typing pause while the view is open): the paths of every
 * finding, as the view once sent them, against those of the focused finding alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { checkParsed, type CheckResult } from '../server/src/core/check.js';
import { flowView, type FlowFocus, type FlowView, type FlowViewFinding } from '../server/src/core/features/flowView.js';
import { violationPaths, type ViolationHighlight } from '../server/src/core/graph/violationPaths.js';
import { parsePlaybook } from '../server/src/core/parse/parsePlaybook.js';
import { generateBranchingPlaybook, generatePlaybook } from './generate.js';
import { timeSync as time } from './stats.js';


const rows = [];
for (const [playbook, steps] of [['clean', 100], ['clean', 1000], ['clean', 5000], ['branching', 1000], ['branching', 5000]] as const) {
  const text = playbook === 'clean' ? generatePlaybook(steps) : generateBranchingPlaybook(steps);
  const runs = steps >= 5000 ? 9 : 21;
  checkParsed(parsePlaybook(text)); // warm-up: compiles the validators once
  const parseFloor = time(() => parseDocument(text), runs);
  const parsed = parsePlaybook(text);
  const rules = time(() => checkParsed(parsed), runs);
  const findings = checkParsed(parsed).findings.length;
  rows.push({ playbook, steps, lines: text.split('\n').length, parseMs: +parseFloor.toFixed(2), rulesMs: +rules.toFixed(2), ratio: +(rules / parseFloor).toFixed(3), findings });
}
console.table(rows);
const big = rows.find((r) => r.playbook === 'clean' && r.steps === 5000)!;
console.log(`${big.ratio < 0.5 ? 'PASS' : 'FAIL'} rules on ${big.steps} steps take ${(big.ratio * 100).toFixed(0)}% of the YAML parse (target: well under 100%)`);

/** The view with every finding's paths, as the flow view was sent before only the focused one's were. */
function everyHighlight(analysis: CheckResult): Omit<FlowView, 'findings'> & { findings: Array<FlowViewFinding & ViolationHighlight> } {
  const view = flowView(analysis);
  const paths = violationPaths(analysis, view.diagram);
  return { ...view, findings: view.findings.map((f) => ({ ...f, ...paths(f.ruleId, f.step) })) };
}

const flowRows = [];
for (const steps of [1000, 5000]) {
  const analysis = checkParsed(parsePlaybook(generateBranchingPlaybook(steps)));
  analysis.graph(); // built once per analysis, before any refresh
  const { findings } = flowView(analysis);
  // The finding in the middle of the playbook: its paths run through half the flow.
  const middle = findings[Math.floor(findings.length / 2)]!;
  const focus: FlowFocus = { ruleId: middle.ruleId, step: middle.step };
  const before = time(() => everyHighlight(analysis), steps >= 5000 ? 3 : 5);
  const after = time(() => flowView(analysis, focus), 21);
  const unfocused = time(() => flowView(analysis), 21);
  const [all, focused] = [everyHighlight(analysis), flowView(analysis, focus)];
  flowRows.push({
    steps,
    findings: findings.length,
    everyFindingMs: +before.toFixed(1),
    focusedMs: +after.toFixed(2),
    noFocusMs: +unfocused.toFixed(2),
    faster: +(before / after).toFixed(0),
    everyFindingKB: Math.round(JSON.stringify(all).length / 1024),
    focusedKB: Math.round(JSON.stringify(focused).length / 1024),
    everyFindingLitKeys: all.findings.reduce((n, f) => n + f.nodes.length, 0),
    focusedLitKeys: focused.highlight?.nodes.length ?? 0,
  });
}
console.log('\nOne flow-view refresh on the branching playbooks: every finding\'s paths against the focused one\'s (core, the view before it becomes LSP ranges)');
console.table(flowRows);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/core.json', JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, flowView: flowRows }, null, 2));
