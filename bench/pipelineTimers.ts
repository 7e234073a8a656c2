/**
 * Where one edit's check goes, stage by stage, timed in this process with the core's own pieces in
 * the order the server runs them (document update, parse, plain data, model, each rule, sort,
 * conversion to LSP diagnostics, JSON of the notification). Complements the CPU profile of the
 * real server: the profile says what the child spends, this says what each stage costs alone.
 */
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkPlaybook } from '../server/src/core/check.js';
import { buildFlowGraph } from '../server/src/core/graph/flowGraph.js';
import { DEFAULT_LIMITS } from '../server/src/core/limits.js';
import { buildModel } from '../server/src/core/parse/buildModel.js';
import { estimateTextNesting, findTooDeep } from '../server/src/core/parse/nesting.js';
import { toPlainData } from '../server/src/core/parse/plainData.js';
import { DEFAULT_POLICY } from '../server/src/core/policy/policy.js';
import { RULES, RULES_BY_ID } from '../server/src/core/rules/index.js';
import type { RuleContext } from '../server/src/core/rules/rule.js';
import { playbookValidator } from '../server/src/core/schema/validators.js';
import { scanSuppressions } from '../server/src/core/suppressions.js';
import { toDiagnostic } from '../server/src/lsp/convert.js';
import { generatePlaybook } from './generate.js';
import { editOffset, positionAt } from './lspScenario.js';
import { median, round } from './stats.js';

/** Timed once more on its own to size it; the rule PB002 row already includes it, so the sum leaves it out. */
const AJV_ALONE = 'ajv validate alone (part of rule PB002)';

export interface StageTimes {
  steps: number;
  runs: number;
  /** Median ms per stage; `rule PBxxx` rows exclude the shared graph and suppression scan. */
  stagesMs: Record<string, number>;
  sumOfStagesMs: number;
  /** checkPlaybook + conversion, timed whole, for comparison with the sum. */
  wholeCheckMs: number;
}

export function timePipeline(steps: number, runs: number): StageTimes {
  const text = generatePlaybook(steps);
  const offset = editOffset(text);
  const at = positionAt(text, offset);
  const range = { start: at, end: { line: at.line, character: at.character + 1 } };
  let doc = TextDocument.create('file:///bench/x.playbook.yaml', 'incident-playbook', 1, text);
  checkPlaybook(text); // warm-up: compiles the validator, as the server's first check does
  const samples = new Map<string, number[]>();
  const timed = <T>(stage: string, fn: () => T): T => {
    const start = performance.now();
    const value = fn();
    const list = samples.get(stage) ?? [];
    list.push(performance.now() - start);
    samples.set(stage, list);
    return value;
  };
  const whole: number[] = [];
  for (let run = 0; run < runs * 2; run++) {
    const edit = [{ range, text: run % 2 === 0 ? 'm' : 'n' }];
    const current = doc;
    doc = timed('document sync (incremental update)', () => TextDocument.update(current, edit, current.version + 1));
    const source = timed('getText', () => doc.getText());
    timed('nesting pre-scan of the text', () => estimateTextNesting(source, DEFAULT_LIMITS.maxNestingDepth * 4));
    const yaml = timed('YAML parse (parseDocument)', () => parseDocument(source, { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false, logLevel: 'error' }));
    timed('nesting check of the tree', () => findTooDeep(yaml.contents, DEFAULT_LIMITS.maxNestingDepth));
    const plain = timed('toJS (plain data for the schema)', () => toPlainData(yaml, source, DEFAULT_LIMITS));
    const model = timed('model (steps, services, references)', () => buildModel(yaml));
    // Generated playbooks parse without YAML errors, so the parse findings are empty, as parsePlaybook would make them.
    if (yaml.errors.length || yaml.warnings.length || !('value' in plain)) throw new Error('the generated playbook did not parse cleanly');
    const parsed = { text: source, yaml, data: plain.value, parseFindings: [], model };
    timed(AJV_ALONE, () => playbookValidator()(parsed.data));
    const graph = timed('flow graph', () => buildFlowGraph(parsed.model));
    const suppressions = timed('suppression scan', () => scanSuppressions(source, parsed.model.steps, new Set(RULES_BY_ID.keys())));
    const context: RuleContext = { parsed, policy: DEFAULT_POLICY, graph: () => graph, suppressions: () => suppressions };
    const findings = RULES.flatMap((rule) => timed(`rule ${rule.id}`, () => rule.check(context)));
    timed('sort findings', () => [...findings].sort((a, b) => a.range.start - b.range.start));
    const diagnostics = timed('findings → diagnostics', () => findings.map((f) => toDiagnostic(doc, f)));
    timed('JSON of the publish notification', () => JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: doc.uri, version: doc.version, diagnostics } }));
    const start = performance.now();
    const result = checkPlaybook(source);
    result.findings.map((f) => toDiagnostic(doc, f));
    whole.push(performance.now() - start);
  }
  const stagesMs = Object.fromEntries([...samples].map(([stage, list]) => [stage, round(median(list), 2)]));
  return { steps, runs: runs * 2, stagesMs, sumOfStagesMs: round(Object.entries(stagesMs).filter(([stage]) => stage !== AJV_ALONE).reduce((a, [, ms]) => a + ms, 0)), wholeCheckMs: round(median(whole)) };
}
