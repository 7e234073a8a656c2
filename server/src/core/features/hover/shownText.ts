/**
 * The playbook's own text in a hover's or a completion's Markdown: a name as one code span, a
 * value as plain text, a sentence of the tool's (which marks names with backticks) with those
 * names as code; nothing a value holds becomes a link, an image, HTML or emphasis
 * (util/markdownText.ts). Each value passes the playbook's secret redaction before it is escaped:
 * an escaped secret (`p\!ss`) would no longer be the text the redaction looks for.
 */
import type { ParsedPlaybook } from '../../parse/model.js';
import { redactorFor } from '../../security/redact.js';
import { code, phrase, toolInline } from '../../util/markdownText.js';

export interface ShownText {
  code(value: string): string;
  text(value: string): string;
  /** A sentence the tool wrote around the playbook's names (`step \`roll-back\``). */
  tool(value: string): string;
}

export function shownText(parsed: ParsedPlaybook): ShownText {
  const redact = redactorFor(parsed);
  return {
    code: (value) => code(redact(value)),
    text: (value) => phrase(redact(value)),
    tool: (value) => toolInline(redact(value)),
  };
}
