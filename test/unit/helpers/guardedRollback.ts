/**
 * A playbook that checks clean but for what its rollback target brings: a security checkpoint
 * before the rollback, security told after it, a postmortem. Tests of releases, SBOMs and VEX
 * vary only the services and the target.
 */
export function guardedRollback(options: { id: string; services: string; service: string; to: string }): string {
  return `playbook: ${options.id}
title: ${options.id}
owners: { sre: "@sre", security: "@security" }
services:
${options.services}
channels:
  security: "#sec-incidents"
steps:
  - id: review
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: roll-back
    action: rollback
    service: ${options.service}
    to: ${options.to}
    requires: [review]
  - id: tell-security
    action: notify
    channel: security
    message: rolled back
  - id: write-up
    action: postmortem
    due: 48h
`;
}
