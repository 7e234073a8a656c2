/** Text → ParsedPlaybook. Never throws: anything unreadable becomes a PB001 or PB008 finding. */
import { parseDocument, type YAMLError } from 'yaml';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import type { Finding, OffsetRange } from '../types.js';
import { buildModel, emptyModel } from './buildModel.js';
import { aliasDepth } from './aliasDepth.js';
import { expandAliases, mergeKeysEnabled, type AliasExpansion } from './expandAliases.js';
import { estimateTextNesting, longestLine, treeShape } from './nesting.js';
import { aliasCountFinding, toPlainData } from './plainData.js';
import { incrementalBase } from './incrementalBase.js';
import { reparseSteps } from './reparseStep.js';
import { scanStepItems, type StepListLayout } from './stepCount.js';
import type { ParsedPlaybook } from './model.js';
import { PARSE_OPTIONS } from './parseOptions.js';

const NOTHING_EXPANDED: AliasExpansion = { findings: [], aliasUses: [], changed: false };

export function parsePlaybook(text: string, limits: Limits = DEFAULT_LIMITS): ParsedPlaybook {
  const steps: StepListLayout = { dashLines: [], end: 0 };
  const refused = refuseUnreadable(text, limits, steps);
  if (refused) return { text, data: undefined, parseFindings: [refused], model: emptyModel() };
  return (steps.dashLines.length >= PIECES_FROM && parseInPieces(text, limits, steps)) || parseReadable(text, limits);
}

/** The same as `parsePlaybook`, never in pieces (what the pieces are held equal to). */
export function parseWhole(text: string, limits: Limits = DEFAULT_LIMITS): ParsedPlaybook {
  const refused = refuseUnreadable(text, limits, { dashLines: [], end: 0 });
  if (refused) return { text, data: undefined, parseFindings: [refused], model: emptyModel() };
  return parseReadable(text, limits);
}

/** Steps from which a playbook is parsed in pieces: below, one parse costs less than two. */
const PIECES_FROM = 64;

/**
 * A long playbook read as an edit would read it: the text without all but its first step is parsed
 * whole, then the other steps are added by the incremental parse of the steps list (reparseStep.ts),
 * which parses items a few dozen at a time. `yaml` then never holds the syntax tree of the whole
 * document: less for the garbage collector to copy, and the parser's code warms up over many short
 * calls instead of one long one. Side by side, the 5,000-step benchmark playbook's first open in a
 * fresh server comes ~30–90 ms sooner and a warm open ~25% sooner; 100 and 1,000 steps are as fast
 * as parsed whole. The result is the one a whole parse gives (held so by
 * test/unit/parse-in-pieces-properties.test.ts); anything the incremental parse cannot prove
 * local (a YAML error, anchors, directives, steps written as flow maps, a limit within reach) is
 * undefined here and parsed whole.
 */
export function parseInPieces(text: string, limits: Limits, steps: StepListLayout): ParsedPlaybook | undefined {
  const cut = steps.dashLines[1]!;
  const skeleton = parseReadable(text.slice(0, cut) + text.slice(steps.end), limits);
  if (!skeleton.incremental) return undefined;
  const parsed = reparseSteps(skeleton, skeleton.incremental, text, { start: cut, oldEnd: cut, newEnd: steps.end }, limits, true);
  if (!parsed) return undefined;
  delete parsed.change;
  return parsed;
}

/** A text that passed `refuseUnreadable`, parsed whole. */
function parseReadable(text: string, limits: Limits): ParsedPlaybook {
  const yaml = parseDocument(text, PARSE_OPTIONS);
  const parseFindings = [
    ...yaml.errors.map((e) => yamlErrorFinding(e, text, 'error')),
    ...yaml.warnings.map((e) => yamlErrorFinding(e, text, 'warning')),
  ];
  const shape = treeShape(yaml.contents, limits.maxNestingDepth);
  const tooDeep = shape.tooDeep;
  if (tooDeep) {
    parseFindings.push({
      ruleId: 'PB008',
      severity: 'error',
      message: `maps and lists are nested ${tooDeep.depth} levels deep here, over the limit of ${limits.maxNestingDepth} (\`limits.maxNestingDepth\` in the policy); a playbook needs a handful, so this is probably a typo or hostile input, and the document was not checked further`,
      range: visibleRange([tooDeep.range.start, tooDeep.range.end], text),
      data: { limit: 'maxNestingDepth', max: limits.maxNestingDepth },
    });
    return { text, yaml: undefined, data: undefined, parseFindings, model: emptyModel() };
  }
  // Most playbooks hold no anchor, alias or merge key: then there is nothing to measure or expand, and the two walks that would find so are skipped.
  const plain = !shape.anchorOrAlias && !mergeKeysEnabled(yaml);
  const chain = plain ? undefined : aliasDepth(yaml);
  const refuseAliases = (finding: Finding): ParsedPlaybook => ({ text, yaml: undefined, data: undefined, parseFindings: [...parseFindings, finding], model: emptyModel() });
  if (chain && chain.depth > limits.maxAliasDepth) {
    return refuseAliases({
      ruleId: 'PB008',
      severity: 'error',
      message: `aliases here nest ${chain.depth} deep (an alias to an anchor holding aliases, and so on), over the limit of ${limits.maxAliasDepth} (\`limits.maxAliasDepth\` in the policy); the document was not expanded`,
      range: visibleRange([chain.node.range?.[0] ?? 0, (chain.node.range?.[0] ?? 0) + 1], text),
      data: { limit: 'maxAliasDepth', max: limits.maxAliasDepth },
    });
  }
  const tooMany = chain ? aliasCountFinding(yaml, text, limits) : undefined;
  if (tooMany) return refuseAliases(tooMany);
  // From here on aliases and merge keys are resolved in the tree: the schema and the rules read the same document.
  const expansion = plain ? NOTHING_EXPANDED : expandAliases(yaml, limits.maxAliasNodes);
  if (expansion.overBudget) {
    return refuseAliases({
      ruleId: 'PB008',
      severity: 'error',
      message: `aliases here would copy ${expansion.overBudget.copied} or more nodes into the document, over the limit of ${limits.maxAliasNodes} (\`limits.maxAliasNodes\` in the policy); the document was not expanded, so no rule reads its structure`,
      range: visibleRange([expansion.overBudget.at[0], expansion.overBudget.at[1]], text),
      data: { limit: 'maxAliasNodes', max: limits.maxAliasNodes },
    });
  }
  parseFindings.push(...expansion.findings);
  const data = toPlainData(yaml, text, limits, plain);
  if ('finding' in data) parseFindings.push(data.finding);
  const model = buildModel(yaml);
  if (model.steps.length > limits.maxSteps) {
    parseFindings.push(tooManySteps(model.steps.length, model.steps[limits.maxSteps]!.range.start, text, limits));
    return { text, yaml: undefined, data: undefined, parseFindings, model: emptyModel() };
  }
  const parsed: ParsedPlaybook = { text, yaml, data: 'value' in data ? data.value : undefined, parseFindings, model, ...(expansion.aliasUses.length ? { aliasUses: expansion.aliasUses } : {}) };
  const base = incrementalBase(parsed, limits, chain !== undefined || expansion.changed);
  return base ? { ...parsed, incremental: base } : parsed;
}

function refuseUnreadable(text: string, limits: Limits, steps: StepListLayout): Finding | undefined {
  const deep = estimateTextNesting(text.length > limits.maxDocumentLength ? '' : text, limits.maxNestingDepth * 4);
  if (deep) {
    return {
      ruleId: 'PB008',
      severity: 'error',
      message: `maps and lists are nested more than ${limits.maxNestingDepth * 4} levels deep here, far over the limit of ${limits.maxNestingDepth} (maxNestingDepth); the document was not parsed, since a playbook needs a handful of levels`,
      range: visibleRange([deep.offset, deep.offset + 1], text),
      data: { limit: 'maxNestingDepth', max: limits.maxNestingDepth },
    };
  }
  if (text.length > limits.maxDocumentLength) return sizeLimitFinding(text.length, limits);
  const long = longestLine(text);
  if (long.length > limits.maxLineLength) {
    return {
      ruleId: 'PB008',
      severity: 'error',
      message: `a line here is ${long.length} characters long, over the limit of ${limits.maxLineLength} (\`limits.maxLineLength\` in the policy); the document was not parsed`,
      range: visibleRange([long.start, long.start + 1], text),
      data: { limit: 'maxLineLength', value: long.length, max: limits.maxLineLength },
    };
  }
  // Far over the step limit: refused from one pass over the lines, before the parser pays for every step.
  const scan = scanStepItems(text, limits.maxSteps, steps);
  if (scan.overAt !== undefined) return tooManySteps(scan.count, scan.overAt, text, limits);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    return {
      ruleId: 'PB001',
      severity: 'error',
      message: 'the file holds binary data (a NUL byte), not YAML text; is this really a playbook?',
      range: { start: nul, end: nul + 1 },
    };
  }
  return undefined;
}

function tooManySteps(count: number, at: number, text: string, limits: Limits): Finding {
  return {
    ruleId: 'PB008',
    severity: 'error',
    message: `the playbook has ${count} steps, over the limit of ${limits.maxSteps} (maxSteps); split it into several playbooks, or raise \`limits.maxSteps\` in the policy`,
    range: visibleRange([at, at + 1], text),
    data: { limit: 'maxSteps', max: limits.maxSteps },
  };
}

/** PB008 for a document over `maxDocumentLength`; adapters that read only part of a file pass its real size. */
export function sizeLimitFinding(size: number, limits: Limits): Finding {
  return {
    ruleId: 'PB008',
    severity: 'error',
    message: `the file is ${formatSize(size)}, over the ${formatSize(limits.maxDocumentLength)} limit for a playbook; split it, or raise \`limits.maxDocumentLength\` in the policy if it really is one playbook`,
    range: { start: 0, end: 0 },
    data: { limit: 'maxDocumentLength', value: size, max: limits.maxDocumentLength },
  };
}

const MESSAGE_BY_CODE: Partial<Record<string, string>> = {
  MULTIPLE_DOCS: 'a playbook file holds one YAML document; remove this second document (starting at `---`) or move it to its own file',
  DUPLICATE_KEY: 'this key appears twice in the same map; YAML keeps only one of them, so remove or rename one',
  TAB_AS_INDENT: 'tabs cannot indent YAML; use spaces',
};

function yamlErrorFinding(error: YAMLError, text: string, severity: 'error' | 'warning'): Finding {
  const message = MESSAGE_BY_CODE[error.code] ?? cleanMessage(error.message);
  const range = error.code === 'DUPLICATE_KEY' ? keyAt(error.pos[0], text) : visibleRange(error.pos, text);
  return { ruleId: 'PB001', severity, message: `YAML: ${message}`, range, data: { code: error.code } };
}

/** The parser points at a duplicate key's first character; the finding covers the key up to its colon. */
function keyAt(start: number, text: string): OffsetRange {
  const match = /^[^:\n]*?(?=\s*:(\s|$))/.exec(text.slice(start, start + 1024));
  return match && match[0].length ? { start, end: start + match[0].length } : visibleRange([start, start], text);
}

/** The parser appends " at line L, column C" and a code excerpt; the range already says where. */
function cleanMessage(message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  const trimmed = firstLine.replace(/ at line \d+, column \d+:?$/, '').trim();
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

/** Clamp to the text and widen empty ranges to one character so an editor can underline them. */
export function visibleRange(pos: [number, number], text: string): OffsetRange {
  let start = Math.max(0, Math.min(pos[0], text.length));
  let end = Math.max(start, Math.min(pos[1], text.length));
  if (end === start) {
    if (end < text.length && text[end] !== '\n') end += 1;
    else if (start > 0) start -= 1;
  }
  return { start, end };
}

function formatSize(length: number): string {
  return length >= 1024 * 1024 ? `${(length / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(length / 1024)} KB`;
}
