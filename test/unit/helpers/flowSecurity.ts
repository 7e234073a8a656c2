/** Runs one flow-security rule on a playbook text and compares its findings, ranges included. */
import assert from 'node:assert/strict';
import type { Policy } from '../../../server/src/core/policy/policy.js';
import type { RuleDefinition } from '../../../server/src/core/rules/rule.js';
import { runRule } from './runRule.js';

export { runRule };
import type { Finding } from '../../../server/src/core/types.js';

export interface ExpectedFinding {
  /** The step the finding is on: its range must be exactly that step's `action` value. */
  step: string;
  flagged: string;
  /** Substrings the message must contain. */
  message?: string[];
  /** Exact related messages, each with the step id it must be anchored on. */
  related?: Array<[message: string, anchoredOn: string]>;
  /** Entries that `data` must hold (deep equality per key). */
  data?: Record<string, unknown>;
}


export function assertRule(rule: RuleDefinition, text: string, expected: ExpectedFinding[], policy?: Policy): void {
  const actual = runRule(rule, text, policy);
  const show = (f: Finding): string => `${JSON.stringify(text.slice(f.range.start, f.range.end))}@${f.range.start}: ${f.message}\n  ${(f.related ?? []).map((r) => r.message).join('\n  ')}`;
  assert.equal(actual.length, expected.length, `expected ${expected.length} ${rule.id} finding(s), got:\n${actual.map(show).join('\n')}`);
  expected.forEach((e, i) => {
    const f = actual[i]!;
    assert.equal(f.ruleId, rule.id);
    assert.equal(f.severity, rule.defaultSeverity);
    assert.equal(text.slice(f.range.start, f.range.end), e.flagged, show(f));
    assert.equal(f.range.start, actionOffset(text, e.step), `range on the action of \`${e.step}\`: ${show(f)}`);
    assert.equal(f.stepIndex, stepIndexOf(text, e.step), show(f));
    for (const part of e.message ?? []) assert.ok(f.message.includes(part), `message lacks ${JSON.stringify(part)}: ${show(f)}`);
    if (e.related) {
      assert.deepEqual((f.related ?? []).map((r) => r.message), e.related.map(([message]) => message), show(f));
      f.related!.forEach((r, j) => {
        const id = e.related![j]![1];
        assert.equal(text.slice(r.range.start, r.range.end), id, `related ${j} of ${show(f)}`);
        assert.equal(r.range.start, idOffset(text, id), `related ${j} anchored on the id of \`${id}\``);
      });
    }
    for (const [key, value] of Object.entries(e.data ?? {})) assert.deepEqual(f.data?.[key], value, `data.${key} of ${show(f)}`);
  });
}

/** Offset of a step's id value, written `- id: x` or `{id: x, ...}`. */
function idOffset(text: string, id: string): number {
  const match = new RegExp(`\\bid: ${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[,}\\s])`).exec(text);
  assert.ok(match, `no step \`${id}\` in the text`);
  return match.index + 'id: '.length;
}

function actionOffset(text: string, id: string): number {
  const at = text.indexOf('action: ', idOffset(text, id));
  assert.ok(at >= 0, `step \`${id}\` has no action`);
  return at + 'action: '.length;
}

function stepIndexOf(text: string, id: string): number {
  const before = text.slice(text.indexOf('\nsteps:'), idOffset(text, id));
  return (before.match(/\n {2}- /g) ?? []).length - 1;
}

/** A playbook around `steps` (list items, 2-space indented), with a `security` channel unless `channels` says otherwise. */
export function playbook(steps: string, channels = '  security: "#sec-incidents"\n  incident: "#inc"\n'): string {
  return `playbook: demo
title: Demo incident
owners:
  sre: "@sre"
  security: "@sec"
services:
  api:
    package: pkg:npm/api
    current: 1.2.0
    releases: [1.0.0, 1.1.0, 1.2.0]
channels:
${channels}steps:
${steps}`;
}

/** The example playbook of the format specification, section 2, verbatim. */
export const SPEC_EXAMPLE = `playbook: checkout-outage            # id, kebab-case, unique in the workspace
title: Checkout error rate above SLO
version: 1                           # format version; optional, default 1
owners:
  sre: "@payments-sre"               # required
  security: "@secops-oncall"         # required (rule PB103)
severity: sev1                       # sev1 | sev2 | sev3 | sev4
compliance: [SOC2:CC7.3, SOC2:CC7.4] # optional free tags
trigger:
  alerts: [CheckoutErrorRateHigh]    # optional
services:
  checkout:
    package: pkg:npm/%40acme/checkout   # purl (https://github.com/package-url/purl-spec); matched to OSV affected[].package
    current: 2.4.0                      # the release running now
    releases: [2.2.0, 2.2.5, 2.3.0, 2.3.1, 2.4.0]   # known releases, any order
channels:
  security: "#sec-incidents"         # the channel role \`security\` is what rule PB102 looks for
  incident: "#inc-checkout"
steps:
  - id: triage
    action: diagnose
    run: kubectl -n checkout get pods
  - id: security-gate
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: roll-back
    action: rollback
    service: checkout
    to: 2.3.1
    requires: [security-gate]
    on-failure: escalate
  - id: tell-security
    action: notify
    channel: security
    message: "Checkout rolled back to 2.3.1"
  - id: escalate
    action: escalate
    to: incident-commander
  - id: review
    action: postmortem
    due: 48h
`;
