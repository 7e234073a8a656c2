/**
 * A POSIX shell command line cut into its structure: lists of pipelines, pipelines of stages, stages
 * of words (quotes removed, each character's source offsets kept), with the commands inside
 * `$( )`, backticks, `<( )`, `>( )` and `( )` groups parsed in turn, and here-documents kept.
 * Written by hand: the shell parsers on npm either drop source positions (shell-quote returns bare
 * strings) or ship a whole interpreter; PB105 needs each word's exact place in the playbook.
 * One pass, linear in the text; nesting deeper than MAX_DEPTH is kept as text, not parsed, so
 * hostile input cannot exhaust the stack.
 */
import { ListBuilder, WordBuilder, type Redirect, type ShellList, type ShellWord, type Stage, type Substitution } from './shellSyntaxTree.js';

const MAX_DEPTH = 32;

const OPERATOR_START = new Set([';', '&', '|', '<', '>', '(', ')', '\n']);
const BLANK = new Set([' ', '\t', '\r']);
/** What ends a run of ordinary characters in a word: a blank, an operator, a backslash, a quote, `$` or a backquote. */
const SPECIAL_IN_WORD = new Set([...BLANK, ...OPERATOR_START, '\\', "'", '"', '$', '`']);

/** The structure of `text.slice(from, to)`; offsets are into `text`. */
export function parseShell(text: string, from = 0, to = text.length): ShellList {
  return new ShellParser(text, to).list(from, undefined, 0).list;
}

/** The structure of `text`, and where its `#` comments are. */
export function parseShellWithComments(text: string): { list: ShellList; comments: Array<{ start: number; end: number }> } {
  const parser = new ShellParser(text, text.length);
  return { list: parser.list(0, undefined, 0).list, comments: parser.comments };
}

interface PendingHeredoc {
  redirect: Redirect;
  delimiter: string;
  stripTabs: boolean;
}

class ShellParser {
  readonly comments: Array<{ start: number; end: number }> = [];

  constructor(private readonly text: string, private readonly end: number) {}

  /** Past the comment starting at `pos`, remembered; the line break that ends it is not consumed. */
  private comment(pos: number): number {
    const start = pos;
    while (pos < this.end && this.text[pos] !== '\n') pos++;
    this.comments.push({ start, end: pos });
    return pos;
  }

  /** Pipelines from `pos` up to `closer` (consumed) or the end. `}` closes only where a command starts. */
  list(from: number, closer: ')' | '`' | '}' | undefined, depth: number): { list: ShellList; pos: number } {
    const { text, end } = this;
    const built = new ListBuilder(from);
    let pending: PendingHeredoc[] = [];
    let pos = from;
    while (pos < end) {
      const c = text[pos]!;
      if (closer !== undefined && c === closer && (closer !== '}' || (!built.stage.words.length && this.wordEnds(pos + 1)))) {
        built.endPipeline(pos);
        return { list: built.list, pos: pos + 1 };
      }
      if (BLANK.has(c)) {
        pos++;
      } else if (c === '\\' && text[pos + 1] === '\n') {
        pos += 2;
      } else if (c === '\n') {
        built.endPipeline(pos);
        pos = this.heredocBodies(pending, pos + 1);
        pending = [];
        built.stage.start = pos;
      } else if (c === '#') {
        pos = this.comment(pos);
      } else if (c === ';' || (c === '&' && text[pos + 1] !== '>') || (c === '|' && text[pos + 1] === '|')) {
        const andOr = (c === '&' && text[pos + 1] === '&') || c === '|';
        built.endPipeline(pos);
        pos += andOr || (c === ';' && text[pos + 1] === ';') ? 2 : 1;
        // After `&&` and `||` the command may go on on the next line.
        if (andOr) pos = this.skipToCommand(pos);
        built.stage.start = pos;
      } else if (c === '|') {
        built.endStage(pos);
        pos += text[pos + 1] === '&' ? 2 : 1;
        // After `|` the pipeline may go on on the next line (`curl … |` then `  sh`).
        pos = this.skipToCommand(pos);
        built.stage.start = pos;
      } else if (c === '(') {
        built.touch(pos);
        if (depth >= MAX_DEPTH) {
          pos = this.skipBalanced(pos + 1, ')');
        } else {
          const inner = this.list(pos + 1, ')', depth + 1);
          built.stage.groups.push(inner.list);
          pos = inner.pos;
        }
      } else if (c === ')') {
        pos++;
      } else if (c === '{' && !built.stage.words.length && this.wordEnds(pos + 1)) {
        // `{ a; b; } | sh`: the group is one stage of the pipeline.
        built.touch(pos);
        if (depth >= MAX_DEPTH) {
          pos++;
        } else {
          const inner = this.list(pos + 1, '}', depth + 1);
          built.stage.groups.push(inner.list);
          pos = inner.pos;
        }
      } else if (this.redirectAt(pos) && !((c === '<' || c === '>') && text[pos + 1] === '(')) {
        built.touch(pos);
        const redirect = this.redirect(pos, depth, built.stage);
        if (redirect.heredoc) pending.push(redirect.heredoc);
        pos = redirect.pos;
      } else {
        built.touch(pos);
        const word = this.word(pos, depth, closer);
        built.stage.words.push(word.word);
        pos = word.pos;
      }
    }
    built.endPipeline(pos);
    return { list: built.list, pos };
  }

  /** Past blanks, line breaks and comments: where the command after an operator that needs one starts. */
  private skipToCommand(pos: number): number {
    const { text, end } = this;
    while (pos < end) {
      const c = text[pos]!;
      if (BLANK.has(c) || c === '\n') pos++;
      else if (c === '\\' && text[pos + 1] === '\n') pos += 2;
      else if (c === '#') pos = this.comment(pos);
      else break;
    }
    return pos;
  }

  private wordEnds(pos: number): boolean {
    return pos >= this.end || BLANK.has(this.text[pos]!) || OPERATOR_START.has(this.text[pos]!);
  }

  /** A redirection operator (with an optional fd number before it) starts at `pos`. */
  private redirectAt(pos: number): boolean {
    const { text } = this;
    let at = pos;
    while (at < this.end && text[at]! >= '0' && text[at]! <= '9' && at - pos < 3) at++;
    const c = text[at];
    if (c === '<' || c === '>') return true;
    return at === pos && c === '&' && text[at + 1] === '>';
  }

  private redirect(pos: number, depth: number, stage: Stage): { pos: number; heredoc?: PendingHeredoc } {
    const { text } = this;
    const start = pos;
    while (text[pos]! >= '0' && text[pos]! <= '9') pos++;
    let op = '';
    for (const candidate of ['<<<', '<<-', '&>>', '<<', '>>', '<&', '>&', '&>', '<>', '>|', '<', '>']) {
      if (text.startsWith(candidate, pos)) {
        op = candidate;
        break;
      }
    }
    pos += op.length;
    while (pos < this.end && BLANK.has(text[pos]!)) pos++;
    const redirect: Redirect = { op, start };
    stage.redirects.push(redirect);
    if (pos >= this.end || OPERATOR_START.has(text[pos]!) && !(text[pos + 1] === '(' && (text[pos] === '<' || text[pos] === '>'))) return { pos };
    const target = this.word(pos, depth);
    redirect.target = target.word;
    if (op === '<<' || op === '<<-') {
      return { pos: target.pos, heredoc: { redirect, delimiter: target.word.value, stripTabs: op === '<<-' } };
    }
    return { pos: target.pos };
  }

  /** Reads the bodies of the here-documents opened on the line that ended at `pos`; returns where the next line starts. */
  private heredocBodies(pending: readonly PendingHeredoc[], pos: number): number {
    const { text } = this;
    for (const { redirect, delimiter, stripTabs } of pending) {
      const bodyStart = pos;
      let bodyEnd = this.end;
      while (pos < this.end) {
        let lineEnd = text.indexOf('\n', pos);
        if (lineEnd === -1 || lineEnd > this.end) lineEnd = this.end;
        let line = text.slice(pos, lineEnd).replace(/\r$/, '');
        if (stripTabs) line = line.replace(/^\t+/, '');
        if (line === delimiter) {
          bodyEnd = pos;
          pos = Math.min(lineEnd + 1, this.end);
          break;
        }
        pos = Math.min(lineEnd + 1, this.end);
      }
      redirect.heredoc = { start: bodyStart, end: Math.max(bodyStart, bodyEnd), quotedDelimiter: redirect.target?.quoted ?? false };
    }
    return pos;
  }

  /** One word from `pos`: quotes removed, substitutions parsed. */
  private word(from: number, depth: number, closer?: string): { word: ShellWord; pos: number } {
    const { text, end } = this;
    const out = new WordBuilder(text, from);
    let pos = from;
    // `<(` and `>(` open a process substitution only where a word starts.
    if ((text[pos] === '<' || text[pos] === '>') && text[pos + 1] === '(') {
      const sub = this.substitution(pos, text[pos] === '<' ? '<(' : '>(', depth);
      out.substitution(sub.sub);
      pos = sub.pos;
    }
    while (pos < end) {
      const c = text[pos]!;
      if (BLANK.has(c) || OPERATOR_START.has(c) || (c === '`' && closer === '`')) break;
      if (c === '\\') {
        out.quoted = true;
        if (text[pos + 1] === '\n') pos += 2;
        else if (pos + 1 < end) {
          out.add(text[pos + 1]!, pos, pos + 2);
          pos += 2;
        } else pos++;
      } else if (c === "'") {
        out.quoted = true;
        let close = text.indexOf("'", pos + 1);
        if (close === -1 || close >= end) close = end;
        out.addSource(pos + 1, close);
        pos = Math.min(close + 1, end);
      } else if (c === '$' && text[pos + 1] === "'") {
        out.quoted = true;
        pos = this.ansiC(pos + 2, out);
      } else if (c === '"') {
        out.quoted = true;
        pos++;
        while (pos < end && text[pos] !== '"') {
          const d = text[pos]!;
          if (d === '\\' && pos + 1 < end && '$`"\\\n'.includes(text[pos + 1]!)) {
            if (text[pos + 1] !== '\n') out.add(text[pos + 1]!, pos, pos + 2);
            pos += 2;
          } else if ((d === '$' && text[pos + 1] === '(') || d === '`') {
            const sub = this.substitution(pos, d === '`' ? '`' : '$(', depth);
            out.substitution(sub.sub);
            pos = sub.pos;
          } else {
            out.add(d, pos, pos + 1);
            pos++;
          }
        }
        pos = Math.min(pos + 1, end);
      } else if ((c === '$' && text[pos + 1] === '(') || c === '`') {
        const sub = this.substitution(pos, c === '`' ? '`' : '$(', depth);
        out.substitution(sub.sub);
        pos = sub.pos;
      } else {
        // A run of ordinary characters is copied as it stands, in one piece.
        const runStart = pos;
        do pos++;
        while (pos < end && !SPECIAL_IN_WORD.has(text[pos]!));
        out.addSource(runStart, pos);
      }
    }
    return { word: out.done(pos), pos };
  }

  private substitution(pos: number, kind: Substitution['kind'], depth: number): { sub: Substitution; pos: number } {
    const bodyStart = pos + kind.length;
    const closer = kind === '`' ? '`' : ')';
    if (depth >= MAX_DEPTH) {
      const after = this.skipBalanced(bodyStart, closer);
      return { sub: { kind, start: pos, end: after, body: [] }, pos: after };
    }
    const inner = this.list(bodyStart, closer, depth + 1);
    return { sub: { kind, start: pos, end: inner.pos, body: inner.list }, pos: inner.pos };
  }

  /** Past the `closer` that balances an opener just before `pos`, without parsing (quotes are still skipped). */
  private skipBalanced(pos: number, closer: ')' | '`'): number {
    const { text, end } = this;
    let open = 1;
    while (pos < end) {
      const c = text[pos]!;
      if (c === '\\') pos += 2;
      else if (c === "'" && closer === ')') {
        const close = text.indexOf("'", pos + 1);
        pos = close === -1 || close >= end ? end : close + 1;
      } else {
        pos++;
        if (closer === '`') {
          if (c === '`') return pos;
        } else if (c === '(') open++;
        else if (c === ')' && --open === 0) return pos;
      }
    }
    return end;
  }

  /** `$'…'` with its escapes decoded; `pos` is just after the opening quote. */
  private ansiC(pos: number, out: WordBuilder): number {
    const { text, end } = this;
    while (pos < end && text[pos] !== "'") {
      if (text[pos] !== '\\' || pos + 1 >= end) {
        out.add(text[pos]!, pos, pos + 1);
        pos++;
        continue;
      }
      const e = text[pos + 1]!;
      let length = 2;
      let decoded: string | undefined = ANSI_C_ESCAPES[e];
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (decoded === undefined && digits) {
        const hex = /^[0-9a-fA-F]+/.exec(text.slice(pos + 2, Math.min(end, pos + 2 + digits)))?.[0];
        if (hex) {
          length = 2 + hex.length;
          decoded = String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff));
        }
      } else if (decoded === undefined && e >= '0' && e <= '7') {
        const octal = /^[0-7]{1,3}/.exec(text.slice(pos + 1, Math.min(end, pos + 4)))![0];
        length = 1 + octal.length;
        decoded = String.fromCharCode(parseInt(octal, 8) & 0xff);
      }
      out.add(decoded ?? text.slice(pos, pos + 2), pos, pos + length);
      pos += length;
    }
    return Math.min(pos + 1, end);
  }
}

const ANSI_C_ESCAPES: Partial<Record<string, string>> = {
  n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?',
};
