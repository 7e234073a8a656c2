/**
 * Where one edit's check goes, stage by stage, timed in this process with the core's own pieces in
 * the order the server runs them (document update, incremental re-parse of the edited step, each
 * rule, sort, conversion to LSP diagnostics, JSON of the notification), plus the full-parse stages
 * an edit no longer pays, for comparison. Complements the CPU profile of the real server: the
 * profile says what the child spends, this says what each stage costs alone.
 */
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkPlaybook } from '../server/src/core/check.js';
import { buildFlowGraph } from '../server/src/core/graph/flowGraph.js';
import { DEFAULT_LIMITS } from '../server/src/core/limits.js';
import { PARSE_OPTIONS } from '../server/src/core/parse/parseOptions.js';
import { reparsePlaybook } from '../server/src/core/parse/reparse.js';
import { buildModel } from '../server/src/core/parse/buildModel.js';
import { estimateTextNesting, findTooDeep } from '../server/src/core/parse/nesting.js';
import { toPlainData } from '../server/src/core/parse/plainData.js';
import { DEFAULT_POLICY } from '../server/src/core/policy/policy.js';
import { RULES, RULES_BY_ID } from '../server/src/core/rules/index.js';
import type { RuleContext } from '../server/src/core/rules/rule.js';
import { playbookValidator } from '../server/src/core/schema/validators.js';
import { scanSuppressions } from '../server/src/core/suppressions.js';
import { toDiagnostic } from '../server/src/lsp/convert.js';
import { ruleLink } from '../server/src/lsp/ruleLink.js';
import { generatePlaybook } from './generate.js';
import { editOffset, positionAt } from './lspScenario.js';
import { median, round } from './stats.js';

/** Timed once more on its own to size it; the rule PB002 row already includes it, so the sum leaves it out. */
const AJV_ALONE = 'ajv validate alone (part of rule PB002)';
/** What a full parse would cost: shown, but not part of an edit's sum since the re-parse replaces them. */
const FULL_PARSE = '(full parse, not paid by an edit)';

export interface StageTimes {
  steps: number;
  runs: number;
  /** Median ms per stage; `rule PBxxx` rows exclude the shared graph and suppression scan. */
  stagesMs: Record<string, number>;
  sumOfStagesMs: number;
  /** checkPlaybook (building on the previous parse) + conversion, timed whole, for comparison with the sum. */
  wholeCheckMs: number;
}

export function timePipeline(steps: number, runs: number): StageTimes {
  const text = generatePlaybook(steps);
  const offset = editOffset(text);
  const at = positionAt(text, offset);
  const range = { start: at, end: { line: at.line, character: at.character + 1 } };
  let doc = TextDocument.create('file:///bench/x.playbook.yaml', 'incident-playbook', 1, text);
  let previous = checkPlaybook(text).parsed; // warm-up: compiles the validator, as the server's first check does
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
    const tree = previous.yaml;
    const parsed = timed('incremental re-parse (the edited step)', () => reparsePlaybook(previous, source, DEFAULT_LIMITS));
    if (parsed.yaml !== tree) throw new Error('the edit did not take the incremental path');
    previous = parsed;
    timed(`nesting pre-scan of the text ${FULL_PARSE}`, () => estimateTextNesting(source, DEFAULT_LIMITS.maxNestingDepth * 4));
    const yaml = timed(`YAML parse (parseDocument) ${FULL_PARSE}`, () => parseDocument(source, PARSE_OPTIONS));
    timed(`nesting check of the tree ${FULL_PARSE}`, () => findTooDeep(yaml.contents, DEFAULT_LIMITS.maxNestingDepth));
    timed(`toJS (plain data for the schema) ${FULL_PARSE}`, () => toPlainData(yaml, source, DEFAULT_LIMITS));
    timed(`model (steps, services, references) ${FULL_PARSE}`, () => buildModel(yaml));
    timed(AJV_ALONE, () => playbookValidator()(parsed.data));
    const graph = timed('flow graph', () => buildFlowGraph(parsed.model));
    const suppressions = timed('suppression scan', () => scanSuppressions(source, parsed.model.steps, new Set(RULES_BY_ID.keys()), { parsedCleanly: parsed.yaml !== undefined && parsed.yaml.errors.length === 0 }));
    const context: RuleContext = { parsed, policy: DEFAULT_POLICY, graph: () => graph, suppressions: () => suppressions };
    const findings = RULES.flatMap((rule) => timed(`rule ${rule.id}`, () => rule.check(context)));
    timed('sort findings', () => [...findings].sort((a, b) => a.range.start - b.range.start));
    const diagnostics = timed('findings → diagnostics', () => findings.map((f) => toDiagnostic(doc, f, (id) => ruleLink(id, ''))));
    timed('JSON of the publish notification', () => JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: doc.uri, version: doc.version, diagnostics } }));
    const next = source.slice(0, offset) + (run % 2 === 0 ? 'q' : 'z') + source.slice(offset + 1); // another version: the whole check re-parses its step too
    const start = performance.now();
    const result = checkPlaybook(next, { previous });
    result.findings.map((f) => toDiagnostic(doc, f, (id) => ruleLink(id, '')));
    whole.push(performance.now() - start);
    previous = result.parsed;
  }
  const stagesMs = Object.fromEntries([...samples].map(([stage, list]) => [stage, round(median(list), 2)]));
  const counted = Object.entries(stagesMs).filter(([stage]) => stage !== AJV_ALONE && !stage.endsWith(FULL_PARSE));
  return { steps, runs: runs * 2, stagesMs, sumOfStagesMs: round(counted.reduce((a, [, ms]) => a + ms, 0)), wholeCheckMs: round(median(whole)) };
}
