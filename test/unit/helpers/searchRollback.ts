/**
 * A rollback playbook for run tests: a security review, then a rollback of log4j-core to 2.14.1
 * (Log4Shell stands on it), security told, and an escalation when the review is denied.
 */
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
