/**
 * The answers file of `playbook run FILE --answers ANSWERS.yaml` (a contract, like the CLI's flags):
 *
 *   who: "@alice"                  # who runs it
 *   steps:                         # by step id; a step not listed is done; a checkpoint not listed is approved by `who`
 *     triage: done
 *     security-gate: { approved-by: "@bob" }
 *     other-gate: { denied-by: "@bob" }
 *     roll-back: { done: true, note: "at 10:02", acknowledge-advisories: true }
 *     restart: failed
 *     wait-a-bit: { skipped: "not needed" }
 *
 * Every id must name a step, and each answer must fit its step (a checkpoint is approved or denied,
 * not done), so a typo never silently runs another path than the one meant. Problems are returned
 * in words, every one of them, never thrown.
 */
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import type { StepModel } from '../parse/model.js';
import { didYouMean } from '../util/suggest.js';

export type Answer =
  | { kind: 'done'; note?: string; acknowledgeAdvisories: boolean }
  | { kind: 'failed'; note?: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'approved' | 'denied'; by: string; note?: string }
  /** A checkpoint nobody could decide (it fails: its `on-failure` is followed). */
  | { kind: 'undecided'; note?: string };

export interface Answers {
  who: string;
  steps: ReadonlyMap<string, Answer>;
}

/** The answer for a step: as listed, else done (a checkpoint: approved by `who`). */
export function answerFor(answers: Answers, step: StepModel): Answer {
  const listed = step.id === undefined ? undefined : answers.steps.get(step.id);
  if (listed) return listed;
  return step.action === 'checkpoint' ? { kind: 'approved', by: answers.who } : { kind: 'done', acknowledgeAdvisories: false };
}

export function parseAnswers(text: string, steps: readonly StepModel[]): Answers | { problems: string[] } {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) return { problems: doc.errors.map((e) => `not YAML: ${e.message.split('\n')[0]}`) };
  const root = doc.contents;
  if (!isMap(root)) return { problems: ['the answers are a mapping with `who` and `steps`'] };
  const problems: string[] = [];
  const who = stringAt(root.get('who', true));
  if (who === undefined || who.trim() === '') problems.push('`who` (who runs it, e.g. "@alice") is missing or not text');
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'who' && key !== 'steps') problems.push(`\`${key}\` is not a field of the answers (they have \`who\` and \`steps\`)`);
  }
  const byId = new Map(steps.flatMap((s) => (s.id === undefined ? [] : [[s.id, s] as const])));
  const answers = new Map<string, Answer>();
  const stepsNode = root.get('steps', true) as Node | undefined;
  if (stepsNode !== undefined && !(isMap(stepsNode) || (isScalar(stepsNode) && stepsNode.value === null))) problems.push('`steps` maps step ids to answers');
  for (const pair of isMap(stepsNode) ? stepsNode.items : []) {
    const id = isScalar(pair.key) ? String(pair.key.value) : '';
    const step = byId.get(id);
    if (!step) {
      problems.push(`no step has the id \`${id}\`${didYouMean(id, [...byId.keys()])}`);
      continue;
    }
    const answer = readAnswer(pair.value as Node | undefined, step, problems);
    if (answer) answers.set(id, answer);
  }
  return problems.length || who === undefined ? { problems } : { who: who.trim(), steps: answers };
}

const CHECKPOINT_FORMS = '`{ approved-by: "@who" }`, `{ denied-by: "@who" }` or `failed` (nobody could decide)';
const STEP_FORMS = '`done`, `failed`, `{ done: true, note: "…", acknowledge-advisories: true }`, `{ failed: true, note: "…" }` or `{ skipped: "why" }`';

function readAnswer(node: Node | undefined, step: StepModel, problems: string[]): Answer | undefined {
  const checkpoint = step.action === 'checkpoint';
  const wrong = (what: string): undefined => {
    problems.push(`step \`${step.id}\`: ${what}; ${checkpoint ? `a checkpoint takes ${CHECKPOINT_FORMS}` : `a step takes ${STEP_FORMS}`}`);
    return undefined;
  };
  const word = stringAt(node);
  if (word !== undefined) {
    if (word === 'failed') return checkpoint ? { kind: 'undecided' } : { kind: 'failed' };
    if (word === 'done' && !checkpoint) return { kind: 'done', acknowledgeAdvisories: false };
    return wrong(`\`${word}\` is not an answer here`);
  }
  if (!isMap(node)) return wrong('the answer is missing');
  const fields = new Map(node.items.map((p) => [isScalar(p.key) ? String(p.key.value) : '', p.value as Node | undefined]));
  const note = fields.has('note') ? stringAt(fields.get('note')) : undefined;
  if (fields.has('note') && note === undefined) return wrong('`note` is text');
  const allowed = (keys: string[]): boolean => [...fields.keys()].every((k) => keys.includes(k));
  if (checkpoint) {
    const decided = (['approved-by', 'denied-by'] as const).filter((k) => fields.has(k));
    if (decided.length !== 1 || !allowed([decided[0]!, 'note'])) return wrong('it is not one of these');
    const by = stringAt(fields.get(decided[0]!));
    if (!by?.trim()) return wrong(`\`${decided[0]}\` names who decided`);
    return { kind: decided[0] === 'approved-by' ? 'approved' : 'denied', by: by.trim(), ...(note !== undefined ? { note } : {}) };
  }
  if (fields.has('skipped')) {
    const reason = stringAt(fields.get('skipped'));
    if (!reason?.trim() || !allowed(['skipped'])) return wrong('`skipped` gives the reason, alone');
    return { kind: 'skipped', reason: reason.trim() };
  }
  const done = fields.get('done');
  const failed = fields.get('failed');
  if (isTrue(done) && !fields.has('failed') && allowed(['done', 'note', 'acknowledge-advisories'])) {
    const ack = fields.get('acknowledge-advisories');
    if (ack !== undefined && !(isScalar(ack) && typeof ack.value === 'boolean')) return wrong('`acknowledge-advisories` is true or false');
    return { kind: 'done', acknowledgeAdvisories: isTrue(ack), ...(note !== undefined ? { note } : {}) };
  }
  if (isTrue(failed) && !fields.has('done') && allowed(['failed', 'note'])) return { kind: 'failed', ...(note !== undefined ? { note } : {}) };
  return wrong('it is not one of these');
}

function stringAt(node: Node | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function isTrue(node: Node | undefined): boolean {
  return isScalar(node) && node.value === true;
}
