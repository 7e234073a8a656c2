/**
 * The structure the shell parser (shellSyntax.ts) builds: lists of pipelines, pipelines of stages,
 * stages of words with each character's source offsets; and the two builders it fills them with.
 */

/** Stands in a word's value for a whole `$( )`, backquote or process substitution. */
const SUBSTITUTION = '\u0000';

/** One shell word after quote removal. `starts[i]`/`ends[i]` are the source offsets of `value[i]`. */
export interface ShellWord {
  value: string;
  starts: number[];
  ends: number[];
  start: number;
  end: number;
  /** Some part of it was quoted or escaped. */
  quoted: boolean;
  /** The commands its `$( )`, backquotes and process substitutions run. */
  substitutions: Substitution[];
}

export interface Substitution {
  kind: '$(' | '`' | '<(' | '>(';
  start: number;
  end: number;
  body: ShellList;
}

export interface Redirect {
  /** `<`, `>`, `>>`, `<<`, `<<-`, `<<<`, `<&`, `>&`, `&>`, `<>`, `>|`, … */
  op: string;
  start: number;
  target?: ShellWord;
  /** A here-document's body, for `<<` and `<<-`. */
  heredoc?: { start: number; end: number; quotedDelimiter: boolean };
}

export interface Stage {
  words: ShellWord[];
  redirects: Redirect[];
  /** `( … )` and `{ …; }` groups written in the stage (a subshell, a group, or PowerShell's `iex ( … )`). */
  groups: ShellList[];
  start: number;
  end: number;
}

export interface Pipeline {
  stages: Stage[];
}

export type ShellList = Pipeline[];

/** A word's value and source offsets, built character by character. */
export class WordBuilder {
  value = '';
  starts: number[] = [];
  ends: number[] = [];
  quoted = false;
  substitutions: Substitution[] = [];

  constructor(private readonly text: string, private readonly start: number) {}

  add(chars: string, start: number, end: number): void {
    for (let i = 0; i < chars.length; i++) {
      this.value += chars[i]!;
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  addSource(start: number, end: number): void {
    this.value += this.text.slice(start, end);
    for (let i = start; i < end; i++) {
      this.starts.push(i);
      this.ends.push(i + 1);
    }
  }

  /**
   * A substitution stands in the value as one placeholder character spanning its source: its
   * commands are parsed in `substitutions`, and copying them into every enclosing word would make
   * nesting quadratic.
   */
  substitution(sub: Substitution): void {
    this.substitutions.push(sub);
    this.add(SUBSTITUTION, sub.start, sub.end);
  }

  done(end: number): ShellWord {
    return { value: this.value, starts: this.starts, ends: this.ends, start: this.start, end, quoted: this.quoted, substitutions: this.substitutions };
  }
}

function newStage(start: number): Stage {
  return { words: [], redirects: [], groups: [], start, end: start };
}

/** The list being parsed: the stage being read, the pipeline it belongs to, and the pipelines done. */
export class ListBuilder {
  list: ShellList = [];
  stages: Stage[] = [];
  stage: Stage;

  constructor(start: number) {
    this.stage = newStage(start);
  }

  /** The stage starts at `pos` if nothing is in it yet. */
  touch(pos: number): void {
    const stage = this.stage;
    if (!stage.words.length && !stage.redirects.length && !stage.groups.length) stage.start = pos;
  }

  /** Ends the stage at `pos` (a `|`); the next starts there. */
  endStage(pos: number): void {
    const stage = this.stage;
    stage.end = pos;
    if (stage.words.length || stage.redirects.length || stage.groups.length) this.stages.push(stage);
    this.stage = newStage(pos);
  }

  /** Ends the stage and its pipeline at `pos` (`;`, `&&`, `||`, `&`, a line break, a closer). */
  endPipeline(pos: number): void {
    this.endStage(pos);
    if (this.stages.length) this.list.push({ stages: this.stages });
    this.stages = [];
  }
}
