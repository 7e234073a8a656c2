/**
 * A name (a file path) made safe to print inside one line of text output: a file may be called
 * "a\nb.playbook.yaml", and a newline, a carriage return or a terminal escape in it would split or
 * forge a `file:line:col` line. Such characters are written JSON-style (`\n`, `\u001b`), and so
 * are line separators and the bidirectional controls that can make a name read as another.
 * Backslashes are left as they are: they separate Windows paths. Structured outputs (JSON, SARIF)
 * keep the real name.
 */

// C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, bidi marks, embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

export function oneLine(name: string): string {
  return name.replace(UNSAFE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
