/**
 * The playbook the incident-run tests follow (the CLI's answers, the language server's requests,
 * resuming a session): triage, a security checkpoint, a rollback to a Log4Shell release, telling
 * security, the postmortem; an escalation on the checkpoint's failure. With the OSV record of that
 * advisory, and the files of a folder that checks it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const LOG4SHELL_ADVISORY = readFileSync(path.join(__dirname, '../../fixtures/osv/GHSA-jfh8-c2jp-5v3q.json'), 'utf8');

export const SEARCH_ROLLBACK = `playbook: search-rollback
title: Search errors after a release
owners:
  sre: "@sre-oncall"
  security: "@secops-oncall"
severity: sev2
services:
  search:
    package: pkg:maven/org.apache.logging.log4j/log4j-core
    current: 2.17.1
    releases: [2.14.1, 2.17.1]
channels:
  security: "#sec-incidents"
steps:
  - id: triage
    action: diagnose
    run: kubectl get pods
  - id: security-gate
    action: checkpoint
    kind: security-review
    approvers: [security]
    on-failure: escalate
  - id: roll-back
    action: rollback
    service: search
    to: 2.14.1
  - id: tell-security
    action: notify
    channel: security
    message: "search rolled back to 2.14.1"
    next: postmortem
  - id: escalate
    action: escalate
    to: security
  - id: postmortem
    action: postmortem
    owner: sre
`;

/** A policy, the advisory and the playbook as `search.playbook.yaml`. */
export const SEARCH_ROLLBACK_FILES: Record<string, string> = {
  '.playbooks/policy.yaml': 'policy: 1\n',
  '.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json': LOG4SHELL_ADVISORY,
  'search.playbook.yaml': SEARCH_ROLLBACK,
};

/** A record's events, one a line, as JSON. */
export function recordEvents(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The status of each later `delivery` event of a record, in order. */
export function laterDeliveries(file: string): string[] {
  return recordEvents(file).filter((e) => e['type'] === 'delivery').map((e) => (e['delivery'] as { status: string }).status);
}
