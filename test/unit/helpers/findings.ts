/** Data-driven assertions: a playbook text in, the exact findings (rule, flagged text, line) out. */
import assert from 'node:assert/strict';
import { checkPlaybook, type CheckOptions } from '../../../server/src/core/check.js';
import type { Finding } from '../../../server/src/core/types.js';

export interface Expected {
  rule: string;
  /** The exact source text under the finding's range. */
  flagged: string;
  /** 1-based line of the range start. */
  line?: number;
  /** Substrings the message must contain. */
  message?: string | string[];
  severity?: Finding['severity'];
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Checks `text` and compares the findings of `rules` (all rules when omitted) with `expected`, in order. */
export function assertFindings(text: string, expected: Expected[], rules?: string[], options?: CheckOptions): Finding[] {
  const all = checkPlaybook(text, options).findings;
  const actual = rules ? all.filter((f) => rules.includes(f.ruleId)) : all;
  const describe = (f: Finding): string => `${f.ruleId}@${lineOf(text, f.range.start)} ${JSON.stringify(text.slice(f.range.start, f.range.end))}: ${f.message}`;
  assert.equal(actual.length, expected.length, `expected ${expected.length} finding(s), got:\n${actual.map(describe).join('\n')}`);
  expected.forEach((e, i) => {
    const f = actual[i]!;
    assert.equal(f.ruleId, e.rule, describe(f));
    assert.equal(text.slice(f.range.start, f.range.end), e.flagged, describe(f));
    if (e.line !== undefined) assert.equal(lineOf(text, f.range.start), e.line, describe(f));
    if (e.severity) assert.equal(f.severity, e.severity, describe(f));
    for (const part of [e.message ?? []].flat()) assert.ok(f.message.includes(part), `message of ${describe(f)} lacks ${JSON.stringify(part)}`);
    assert.ok(f.range.start >= 0 && f.range.end <= text.length && f.range.start <= f.range.end, `range inside the text: ${describe(f)}`);
  });
  return actual;
}

/** A playbook that passes every rule, with `steps` (YAML list items, 2-space indented) spliced in before the postmortem. */
export function playbook(steps: string, extra: { head?: string; services?: string; channels?: string } = {}): string {
  return `playbook: demo
title: Demo incident
owners:
  sre: "@sre"
  security: "@sec"
${extra.head ?? ''}services:
${extra.services ?? `  api:
    package: pkg:npm/api
    current: 1.2.0
    releases: [1.0.0, 1.1.0, 1.2.0]
`}channels:
${extra.channels ?? `  security: "#sec"
  incident: "#inc"
`}steps:
${steps}  - id: review
    action: postmortem
    due: 48h
`;
}
