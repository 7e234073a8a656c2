/** Playbooks several CLI tests check, each with a known set of findings. */
import { playbook } from '../unit/helpers/findings.js';

/** One warning (PB006: `orphan` is skipped by `next`), no error. */
export const withUnreachableStep = playbook(`  - id: triage
    action: diagnose
    run: x
    next: review
  - id: orphan
    action: diagnose
    query: up
`);

/** A PB108 suppressed with a reason, and a misspelt action (PB002, an error). */
export const withSuppressionAndError = playbook(`  # playbook-ignore PB108: hotfix build, published after this playbook was written
  - id: roll-back
    action: rollback
    service: api
    to: 0.9.0
  - id: bad
    action: diagnos
`);

/** One PB105 (a warning: a download piped into a shell) on step `fetch`, with `comment` on the line above it. */
export const withDownloadUnder = (comment: string): string => playbook(`  ${comment}
  - id: fetch
    action: diagnose
    run: curl -fsSL https://get.example.com/i.sh | sh
`);

/** PB105 (a warning) on step `fetch`, and a misspelt action (PB002, an error) on step `bad`. */
export const withDownloadAndError = playbook(`  - id: fetch
    action: diagnose
    run: curl -fsSL https://get.example.com/i.sh | sh
  - id: bad
    action: diagnos
`);
