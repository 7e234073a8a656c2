/**
 * Records of incident runs built by hand, as the record file holds them: each event one JSON line
 * with its `seq` and `prev` (the SHA-256 of the line before), a minute after the one before unless
 * told otherwise. The runs follow CHECKOUT_PLAYBOOK, a short rollback playbook whose facts the
 * report can be given (`checkoutPlaybook()`).
 */
import { createHash } from 'node:crypto';
import type { RecordedEvent, RunEvent } from '../../../server/src/core/run/events.js';
import { reportPlaybook, type ReportPlaybook } from '../../../server/src/core/run/reportPlaybook.js';
import { checkPlaybook } from '../../../server/src/core/check.js';
import { DEFAULT_POLICY } from '../../../server/src/core/policy/policy.js';

export const CHECKOUT_PLAYBOOK = `playbook: checkout-rollback
title: Checkout errors after a release
owners:
  sre: "@payments-sre"
  security: "@secops-oncall"
compliance: [SOC2:CC7.4, SOC2:CC7.5]
services:
  checkout:
    package: pkg:npm/checkout
    current: 2.4.0
    releases: [2.3.1, 2.4.0]
channels:
  security: "#sec-incidents"
  incident: "#inc-checkout"
steps:
  - id: triage
    action: diagnose
    run: kubectl -n checkout get pods
  - id: open-incident
    action: notify
    channel: incident
    message: Checkout errors above SLO; incident open.
    on-failure: continue
  - id: security-review
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: roll-back
    action: rollback
    service: checkout
    to: 2.3.1
    requires: [security-review]
  - id: tell-security
    action: notify
    channel: security
    message: Checkout rolled back from 2.4.0 to 2.3.1.
    on-failure: continue
  - id: verify
    action: diagnose
    query: sum(rate(http_requests_total{code=~"5.."}[5m]))
    on-failure: continue
  - id: review
    action: postmortem
    due: 48h
`;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The playbook's facts under the default policy, as the CLI would hand them to the report. */
export function checkoutPlaybook(text = CHECKOUT_PLAYBOOK): ReportPlaybook {
  return reportPlaybook(checkPlaybook(text, { policy: DEFAULT_POLICY }), sha256(text));
}

/** An event without what the record adds: its place, its time, its author and the chain. */
export type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'at' | 'by'> : never) : never;

export class RunRecord {
  readonly lines: string[] = [];
  private time: number;

  constructor(start = '2026-12-06T05:10:00.000Z') {
    this.time = Date.parse(start);
  }

  /** Appends `event` by `by`, `seconds` after the previous one (the first: `seconds` after the start). */
  add(by: string, event: EventBody, seconds = 60): this {
    this.time += seconds * 1000;
    return this.append(new Date(this.time).toISOString(), by, event);
  }

  /** The record `change` makes of this one's events (their times and authors kept), numbered and chained anew. */
  edited(change: (events: RecordedEvent[]) => RecordedEvent[]): RunRecord {
    const record = new RunRecord();
    for (const { seq: _seq, prev: _prev, at, by, ...event } of change(this.events)) record.append(at, by, event);
    return record;
  }

  private append(at: string, by: string, event: EventBody): this {
    const { type, ...fields } = event;
    const prev = sha256(this.lines[this.lines.length - 1] ?? '');
    // As the record writer orders a line: its place first, the chain link last.
    this.lines.push(JSON.stringify({ seq: this.lines.length, type, at, by, ...fields, prev }));
    return this;
  }

  get events(): RecordedEvent[] {
    return this.lines.map((line) => JSON.parse(line) as RecordedEvent);
  }
}

export const LOG4SHELL = { id: 'GHSA-jfh8-c2jp-5v3q', aliases: ['CVE-2021-44228'], severity: 'CRITICAL', component: { name: 'log4j-core', version: '2.14.1', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' } };
const NOT_AFFECTED = {
  id: 'GHSA-7rjr-3q55-vv33', aliases: ['CVE-2021-45046'], severity: 'CRITICAL',
  component: { name: 'log4j-core', version: '2.14.1', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' },
  decidedBy: { file: '.playbooks/vex/checkout.openvex.json', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' },
};

const START = { type: 'run-started', playbook: { id: 'checkout-rollback', title: 'Checkout errors after a release', file: 'services/checkout.playbook.yaml', sha256: sha256(CHECKOUT_PLAYBOOK) }, tool: { name: 'playbook', version: '0.1.0' }, mode: 'editor' } as const;
const DELIVERED = { status: 'delivered', attempts: 1, httpStatus: 200 } as const;

/** The run up to the security review: triage done, the incident channel told. */
function opening(record = new RunRecord()): RunRecord {
  return record
    .add('alice', START, 0)
    .add('alice', { type: 'step-started', step: 'triage', index: 0 }, 0)
    .add('alice', { type: 'step-done', step: 'triage', note: '5xx only from 2.4.0 pods' })
    .add('alice', { type: 'step-started', step: 'open-incident', index: 1 }, 0)
    .add('alice', { type: 'notification', id: 1, step: 'open-incident', channel: 'incident', target: '#inc-checkout', message: 'Checkout errors above SLO; incident open.', auto: false, delivery: DELIVERED }, 2)
    .add('alice', { type: 'step-done', step: 'open-incident' }, 0)
    .add('alice', { type: 'step-started', step: 'security-review', index: 2 }, 0);
}

/** Security grants the review, the rollback's release is checked and acknowledged, and the rollback is done. */
function rolledBack(record: RunRecord, options: { acknowledged?: boolean; standing?: boolean } = {}): RunRecord {
  return record
    .add('bob', { type: 'approval', step: 'security-review', approver: 'security', decision: 'granted', note: 'checked the VEX for 2.3.1' }, 240)
    .add('alice', { type: 'step-started', step: 'roll-back', index: 3 }, 0)
    .add('alice', { type: 'release-check', step: 'roll-back', service: 'checkout', version: '2.3.1', standing: options.standing === false ? [] : [LOG4SHELL], decided: [NOT_AFFECTED], acknowledged: options.acknowledged ?? true }, 30)
    .add('alice', { type: 'step-done', step: 'roll-back', note: 'argo rollout undone to 2.3.1' }, 180)
    .add('alice', { type: 'step-started', step: 'tell-security', index: 4 }, 0);
}

/** After security was told: verify and review done, the run resolved. */
function closing(record: RunRecord, undelivered: number[] = []): RunRecord {
  return record
    .add('alice', { type: 'step-done', step: 'tell-security' }, 0)
    .add('alice', { type: 'step-started', step: 'verify', index: 5 }, 0)
    .add('alice', { type: 'step-done', step: 'verify', note: 'error rate back under 0.1%' }, 600)
    .add('alice', { type: 'step-started', step: 'review', index: 6 }, 0)
    .add('alice', { type: 'step-done', step: 'review', note: 'postmortem booked for Tuesday' }, 120)
    .add('alice', { type: 'run-ended', outcome: 'resolved', path: ['triage', 'open-incident', 'security-review', 'roll-back', 'tell-security', 'verify', 'review'], undelivered }, 0);
}

const TELL_SECURITY = { type: 'notification', id: 2, step: 'tell-security', channel: 'security', target: '#sec-incidents', message: 'Checkout rolled back from 2.4.0 to 2.3.1.', auto: false } as const;

/** A resolved rollback: the security review granted, Log4Shell standing on 2.3.1 and acknowledged, security told at once. */
export function resolvedRollback(options: { acknowledged?: boolean } = {}): RunRecord {
  return closing(rolledBack(opening(), options).add('alice', { ...TELL_SECURITY, delivery: DELIVERED }, 5));
}

/** Security denies the review: the run aborts before anything changed. */
export function deniedReview(): RunRecord {
  return opening()
    .add('bob', { type: 'approval', step: 'security-review', approver: 'security', decision: 'denied', note: '2.3.1 carries Log4Shell; find another way' }, 300)
    .add('alice', { type: 'run-ended', outcome: 'aborted', path: ['triage', 'open-incident', 'security-review'], undelivered: [] }, 0);
}

/** Security's webhook is down when told; a retry after verify delivers it. */
export function deliveredLater(): RunRecord {
  const record = rolledBack(opening())
    .add('alice', { ...TELL_SECURITY, delivery: { status: 'queued', attempts: 4, httpStatus: 503, error: 'Service Unavailable' } }, 20)
    .add('alice', { type: 'step-done', step: 'tell-security' }, 0)
    .add('alice', { type: 'step-started', step: 'verify', index: 5 }, 0)
    .add('alice', { type: 'step-done', step: 'verify', note: 'error rate back under 0.1%' }, 600)
    .add('alice', { type: 'delivery', notification: 2, delivery: DELIVERED }, 1);
  return record
    .add('alice', { type: 'step-started', step: 'review', index: 6 }, 0)
    .add('alice', { type: 'step-done', step: 'review' }, 120)
    .add('alice', { type: 'run-ended', outcome: 'resolved', path: ['triage', 'open-incident', 'security-review', 'roll-back', 'tell-security', 'verify', 'review'], undelivered: [] }, 0);
}

/** Security's webhook never answers; before the end the person gives up on it, so nothing is left queued. */
export function neverDelivered(): RunRecord {
  const record = rolledBack(opening())
    .add('alice', { ...TELL_SECURITY, delivery: { status: 'queued', attempts: 4, error: 'connect ETIMEDOUT https://hooks.example.com/services/T000/B000/abcdef' } }, 20)
    .add('alice', { type: 'step-done', step: 'tell-security' }, 0)
    .add('alice', { type: 'step-started', step: 'verify', index: 5 }, 0)
    .add('alice', { type: 'step-done', step: 'verify' }, 600)
    .add('alice', { type: 'delivery', notification: 2, delivery: { status: 'queued', attempts: 4, error: 'connect ETIMEDOUT' } }, 1)
    .add('alice', { type: 'step-started', step: 'review', index: 6 }, 0)
    .add('alice', { type: 'step-done', step: 'review' }, 120)
    .add('alice', { type: 'delivery', notification: 2, delivery: { status: 'given-up', attempts: 0 } }, 30);
  return record.add('alice', { type: 'run-ended', outcome: 'resolved', path: ['triage', 'open-incident', 'security-review', 'roll-back', 'tell-security', 'verify', 'review'], undelivered: [] }, 0);
}

/** The verification is skipped: dashboards are down, so recovery is confirmed another way. */
export function skippedVerify(reason = 'dashboards down during the incident; support confirmed checkouts succeed'): RunRecord {
  return rolledBack(opening())
    .add('alice', { ...TELL_SECURITY, delivery: DELIVERED }, 5)
    .add('alice', { type: 'step-done', step: 'tell-security' }, 0)
    .add('alice', { type: 'step-started', step: 'verify', index: 5 }, 0)
    .add('alice', { type: 'deviation', step: 'verify', kind: 'skipped', reason }, 30)
    .add('alice', { type: 'step-started', step: 'review', index: 6 }, 0)
    .add('alice', { type: 'step-done', step: 'review' }, 120)
    .add('alice', { type: 'run-ended', outcome: 'resolved', path: ['triage', 'open-incident', 'security-review', 'roll-back', 'tell-security', 'verify', 'review'], undelivered: [] }, 0);
}
