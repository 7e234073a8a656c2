/**
 * Rename a step id, a service or a channel: the declaration and every use bound to it, as
 * offset edits of the names as written (inside quotes, so quoting stays as it was). A rename that
 * would break the playbook is refused with a message that says why and what to do instead.
 */
import { isScalar, parse, type Node } from 'yaml';
import { ON_FAILURE_KEYWORDS } from '../parse/buildModel.js';
import { isAliasCopy } from '../parse/expandAliases.js';
import type { PlaybookModel } from '../parse/model.js';
import { nodeRange, scalarText } from '../parse/yamlNodes.js';
import { SECURITY_CHANNEL } from '../graph/securitySteps.js';
import type { OffsetRange } from '../types.js';
import { bindingOf, occurrenceAt, occurrences, type NameKind, type Occurrence } from './symbolAt.js';
import type { Analysis, RenameResult, TextEdit } from './types.js';

/** The schema's pattern for step ids. */
const STEP_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Service and channel names have no pattern in the schema; these stay plain, unambiguous YAML. */
const MAP_KEY_NAME = /^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$/;

const NOTHING_TO_RENAME = 'nothing to rename here: put the cursor on a step id, a reference to a step, a service or a channel';

interface RenameTarget {
  /** The occurrence under the cursor. */
  at: Occurrence;
  declaration: Occurrence;
  uses: Occurrence[];
}

/**
 * The name the editor may rename at `offset`, with the text to start from. Undefined when nothing
 * is there; an error when something is there that cannot be renamed (an unknown name, a keyword).
 */
export function prepareRename(analysis: Analysis, offset: number): { range: OffsetRange; placeholder: string } | { error: string } | undefined {
  const target = renameTarget(analysis, offset);
  if (target === undefined || 'error' in target) return target;
  return { range: target.at.range, placeholder: target.at.name };
}

export function rename(analysis: Analysis, offset: number, newName: string): RenameResult {
  const target = renameTarget(analysis, offset);
  if (target === undefined) return { error: NOTHING_TO_RENAME };
  if ('error' in target) return target;
  const { declaration, uses } = target;
  if (newName === declaration.name) return { edits: [] };
  const problem = nameProblem(analysis.parsed.model, declaration.kind, newName);
  if (problem) return { error: problem };
  const edits: TextEdit[] = [declaration, ...uses].map((o) => ({ range: o.range, newText: newName }));
  return { edits: edits.sort((a, b) => a.range.start - b.range.start) };
}

function renameTarget(analysis: Analysis, offset: number): RenameTarget | { error: string } | undefined {
  const { model, text } = analysis.parsed;
  const keyword = onFailureKeywordAt(model, offset);
  if (keyword) return { error: `\`${keyword}\` is a keyword of \`on-failure\`, not a step id; there is nothing to rename` };
  const all = occurrences(analysis.parsed);
  const at = occurrenceAt(all, offset);
  if (!at) return undefined;
  const { declaration, uses } = bindingOf(model, all, at);
  if (!declaration) return { error: `${KIND_WORDS[at.kind].unknown(at.name)}, so there is nothing to rename; fix the name or declare it first` };
  if (at.kind === 'channel' && at.name === SECURITY_CHANNEL) {
    return { error: `\`${SECURITY_CHANNEL}\` is the channel role that security notifications (PB102) look for; renaming it would leave risky changes unannounced, so add a new channel instead` };
  }
  const block = [declaration, ...uses].find((o) => isScalar(o.node) && (o.node.type === 'BLOCK_LITERAL' || o.node.type === 'BLOCK_FOLDED'));
  if (block) return { error: `\`${at.name}\` is written as a block scalar (\`|\` or \`>\`) on line ${lineOf(text, block.range.start)}; write it on one line, then rename` };
  const copied = [declaration, ...uses].find((o) => isAliasCopy(o.node));
  if (copied) return { error: `\`${at.name}\` is also named through an alias (\`${text.slice(copied.range.start, copied.range.end)}\`) on line ${lineOf(text, copied.range.start)}, which only copies its anchor; write the name out there, then rename` };
  return { at, declaration, uses };
}

const KIND_WORDS: Record<NameKind, { unknown: (name: string) => string; taken: (name: string) => string }> = {
  step: {
    unknown: (name) => `\`${name}\` is not the id of a step in this playbook`,
    taken: (name) => `\`${name}\` is already the id of another step; pick an id no other step uses`,
  },
  service: {
    unknown: (name) => `\`${name}\` is not declared under \`services\``,
    taken: (name) => `a service \`${name}\` is already declared under \`services\`; pick another name`,
  },
  channel: {
    unknown: (name) => `\`${name}\` is not declared under \`channels\``,
    taken: (name) => `a channel \`${name}\` is already declared under \`channels\`; pick another name`,
  },
};

/** Why `newName` cannot be the new name of a `kind`, or undefined when it can. */
function nameProblem(model: PlaybookModel, kind: NameKind, newName: string): string | undefined {
  if (kind === 'step') {
    if (!STEP_ID.test(newName)) return `\`${newName}\` is not a valid step id: use kebab-case, lower-case letters and digits joined by dashes, e.g. \`roll-back\``;
    if (ON_FAILURE_KEYWORDS.has(newName)) return `\`${newName}\` is a keyword of \`on-failure\`, so \`on-failure: ${newName}\` could never name this step; pick another id`;
  } else if (!MAP_KEY_NAME.test(newName)) {
    return `\`${newName}\` is not a valid ${kind} name: use letters and digits, joined by \`-\`, \`_\` or \`.\``;
  }
  const read = readsAs(newName);
  if (read !== 'text') return `YAML would read \`${newName}\` as ${read}, not as a name; pick a name with letters`;
  const taken = kind === 'step' ? model.steps.some((s) => s.id === newName) : (kind === 'service' ? model.services : model.channels).has(newName);
  return taken ? KIND_WORDS[kind].taken(newName) : undefined;
}

/** What YAML makes of `name` written plain: `true`, `null`, `123` or `0x1f` are no names. */
function readsAs(name: string): string {
  let value: unknown;
  try {
    value = parse(name);
  } catch {
    return 'something else';
  }
  if (value === name) return 'text';
  if (value === null) return 'null';
  return typeof value === 'number' || typeof value === 'boolean' ? `a ${typeof value}` : 'something else';
}

function onFailureKeywordAt(model: PlaybookModel, offset: number): string | undefined {
  for (const step of model.steps) {
    const node = step.pairs.get('on-failure')?.value as Node | undefined;
    const value = scalarText(node);
    if (value === undefined || !ON_FAILURE_KEYWORDS.has(value)) continue;
    const range = nodeRange(node);
    if (range.start <= offset && offset <= range.end) return value;
  }
  return undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
