/**
 * Turns the paths that break a flow rule into what its finding shows: how many there are, the first
 * few written out for the message, and for each path shown one sentence (anchored on its first step)
 * followed by one related location per step, so the editor can walk each path step by step.
 */
import type { ParsedPlaybook, StepModel } from '../parse/model.js';
import { firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import type { OffsetRange, RelatedLocation } from '../types.js';
import { shownSteps, type FlowPath, type PathStep } from './flowPaths.js';
import { PATH_COUNT_CAP } from './pathSpace.js';

/** Paths written out in a message (and as related locations); the rest are counted. */
export const PATHS_LISTED = 3;

export interface ShownPath {
  path: FlowPath;
  /** What the path shows, after the colon: "no security checkpoint on this path". */
  conclusion: string;
}

export interface PathEnds {
  /** Written before the first step of each related sentence, e.g. `entry`. */
  start?: string;
  /** Written after the last step, e.g. `(exit)`, in the sentences and in the message. */
  end?: string;
}

export interface PathsReport {
  related: RelatedLocation[];
  /** For the message: "'a' → 'b' (fails) → (exit); 'a' → 'c' → (exit); and 2 more". */
  listing: string;
  /** What the finding's data says about its paths. */
  data: {
    /** Ids of the first path's steps shown (a step without id is `step N`; a long path's middle is left out). */
    path: string[];
    /** The same for each path shown. */
    paths: string[][];
    /** How many paths break the rule: exact up to PATH_COUNT_CAP, else PATH_COUNT_CAP with `pathCountCapped`. */
    pathCount: number;
    pathCountCapped: boolean;
  };
}

/** `shown`: the first paths, in order; `count`: all of them, as PathSpace.count gives it. */
export function reportPaths(parsed: ParsedPlaybook, shown: readonly ShownPath[], count: number, ends: PathEnds): PathsReport {
  const steps = parsed.model.steps;
  const single = count === 1 && shown.length === 1;
  const related: RelatedLocation[] = [];
  const ids: string[][] = [];
  const written: string[] = [];
  shown.forEach(({ path, conclusion }, i) => {
    const onPath = shownSteps(path).filter((s) => steps[s.index] !== undefined);
    const sentence = `${words(steps, path, (s) => nameOnPath(steps[s.index]!, s), ends).join(' → ')}: ${conclusion}`;
    if (onPath.length) related.push({ message: single ? sentence : `path ${i + 1} of ${countWords(count)}: ${sentence}`, range: stepAnchor(parsed, steps[onPath[0]!.index]!) });
    for (const s of onPath) {
      const step = steps[s.index]!;
      const where = single ? `on the path: ${backticked(step)}` : `on path ${i + 1}: ${quoted(step)}`;
      related.push({ message: `${where}${notes(step, s)}`, range: stepAnchor(parsed, step) });
    }
    ids.push(onPath.map((s) => idOf(steps[s.index]!)));
    written.push(words(steps, path, (s) => `${quoted(steps[s.index]!)}${notes(steps[s.index]!, s)}`, { end: ends.end }).join(' → '));
  });
  const rest = count - shown.length;
  if (rest > 0) written.push(count > PATH_COUNT_CAP ? `and over ${formatCount(PATH_COUNT_CAP - shown.length)} more` : `and ${formatCount(rest)} more`);
  return {
    related,
    listing: written.join('; '),
    data: { path: ids[0] ?? [], paths: ids, pathCount: Math.min(count, PATH_COUNT_CAP), pathCountCapped: count > PATH_COUNT_CAP },
  };
}

/** "1 path reaches", "3 paths reach", "more than 1,000 paths reach". */
export function pathsReach(count: number): string {
  return count === 1 ? '1 path reaches' : `${countWords(count)} paths reach`;
}

/** "3", "1,000", "more than 1,000". */
export function countWords(count: number): string {
  return count > PATH_COUNT_CAP ? `more than ${formatCount(PATH_COUNT_CAP)}` : formatCount(count);
}

/** 1,000 and 12,345: a plain grouping that does not depend on where the check runs. */
function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

function words(steps: readonly StepModel[], path: FlowPath, name: (s: PathStep) => string, ends: PathEnds): string[] {
  const named = (part: PathStep[]): string[] => part.filter((s) => steps[s.index] !== undefined).map(name);
  const gap = path.omitted > 0 ? [`… ${path.omitted} more step${path.omitted === 1 ? '' : 's'} …`] : [];
  return [...(ends.start ? [ends.start] : []), ...named(path.head), ...gap, ...named(path.tail), ...(ends.end ? [ends.end] : [])];
}

/** The step's id, else its first line: a small range that finds the step in the editor. */
export function stepAnchor(parsed: ParsedPlaybook, step: StepModel): OffsetRange {
  return step.idNode ? nodeRange(step.idNode) : firstLineOf(step.range, parsed.text);
}

function idOf(step: StepModel): string {
  return step.id ?? `step ${step.index + 1}`;
}

function backticked(step: StepModel): string {
  return step.id === undefined ? idOf(step) : `\`${step.id}\``;
}

function quoted(step: StepModel): string {
  return step.id === undefined ? idOf(step) : `'${step.id}'`;
}

function nameOnPath(step: StepModel, s: PathStep): string {
  return `${idOf(step)}${notes(step, s)}`;
}

/**
 * A path that leaves a step through its failure edge says so: that is often the whole story. A step
 * where the path goes into a loop says so too: the loop is one stop, whatever is done inside it.
 */
function notes(step: StepModel, s: PathStep): string {
  const said = [...(s.loop ? ['loop'] : []), ...(s.failed ? [step.action === 'checkpoint' ? 'denied' : 'fails'] : [])];
  return said.length ? ` (${said.join(', ')})` : '';
}
