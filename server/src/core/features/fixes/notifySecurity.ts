/**
 * PB102: a `notify` step to the `security` channel right after the change, in list order; when the
 * change jumps on (`next: x`), the jump moves to the notification so the success edge passes it.
 * The notification goes on when it fails (`on-failure: continue`), as a chat outage must not stop
 * the incident response. A playbook with no `security` channel gets one, with a placeholder target
 * for the team to correct, just above `steps`.
 */
import { isMap } from 'yaml';
import { SECURITY_CHANNEL, stepField } from '../../graph/securitySteps.js';
import type { StepModel } from '../../parse/model.js';
import { compact, quickFix, stepOf, type FixProvider } from './fixContext.js';
import { insertFollowingStep } from './followingStep.js';
import { addRootEntry } from './rootMaps.js';
import { doubleQuoted } from './scalars.js';
import { uniqueStepId } from './steps.js';

/** The channel target written when the playbook has none: a placeholder, plainly one. */
export const SECURITY_CHANNEL_PLACEHOLDER = '#security-incidents';

export const notifySecurityFix: FixProvider = (finding, context) => {
  const { text, steps, analysis } = context;
  const step = stepOf(finding, context);
  if (!step || !isMap(step.node)) return [];
  const notifyId = uniqueStepId(`${step.id ?? `step-${step.index + 1}`}-notify-security`, steps);
  const message = doubleQuoted(`${whatChanged(step)}; security please review`);
  const edits = insertFollowingStep(text, steps, step,
    [['id', notifyId], ['action', 'notify'], ['channel', SECURITY_CHANNEL], ['message', message]],
    [['on-failure', 'continue']]);
  const needsChannel = !analysis.parsed.model.channels.has(SECURITY_CHANNEL);
  if (needsChannel) edits.push(addRootEntry(context, 'channels', SECURITY_CHANNEL, doubleQuoted(SECURITY_CHANNEL_PLACEHOLDER), { after: [], before: 'steps' }));
  const title = `Notify security after ${step.label}${needsChannel ? ` and add a \`${SECURITY_CHANNEL}\` channel` : ''}`;
  return compact([quickFix(title, finding, edits, true)]);
};

/** "checkout rolled back to 2.3.1": what the notification tells security. */
function whatChanged(step: StepModel): string {
  const field = (key: string): string => stepField(step, key)?.value ?? '?';
  switch (step.action) {
    case 'rollback':
      return `${field('service')} rolled back to ${field('to')}`;
    case 'deploy':
      return `${field('service')} ${field('version')} deployed`;
    case 'access-grant':
      return `${field('role')} granted to ${field('principal')}`;
    default:
      return `${step.id ?? step.label} (${step.action ?? 'step'}) done`;
  }
}
