/**
 * PB102: a `notify` step to the `security` channel right after the change, in list order; when the
 * change jumps on (`next: x`), the jump moves to the notification so the success edge passes it.
 * The notification goes on when it fails (`on-failure: continue`), as a chat outage must not stop
 * the incident response. A playbook whose `security` channel is not declared gets one, with a
 * placeholder target for the team to correct, just above `steps` (or in its empty `security` key).
 * When the notifications are already in place and only the channel is missing, declaring it is the
 * whole fix. A `channels` that is not a map gets no fix: rewriting it would guess at its meaning.
 */
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import { SECURITY_CHANNEL, securityChannel, stepField } from '../../graph/securitySteps.js';
import type { StepModel } from '../../parse/model.js';
import { findPair, getNode, nodeRange } from '../../parse/yamlNodes.js';
import type { TextEdit } from '../types.js';
import { compact, quickFix, stepOf, type FixContext, type FixProvider } from './fixContext.js';
import { insertFollowingStep } from './followingStep.js';
import { addRootEntry } from './rootMaps.js';
import { doubleQuoted, replaceScalar } from './scalars.js';
import { uniqueStepId } from './steps.js';

/** The channel target written when the playbook has none: a placeholder, plainly one. */
const SECURITY_CHANNEL_PLACEHOLDER = '#security-incidents';

export const notifySecurityFix: FixProvider = (finding, context) => {
  const { text, steps, analysis } = context;
  const step = stepOf(finding, context);
  if (!step || !isMap(step.node)) return [];
  const channel = securityChannel(analysis.parsed);
  const problem = channel.declared ? undefined : channel.problem;
  if (problem === 'channels-not-a-map') return [];
  const declareEdit = problem === undefined ? undefined : declareChannel(context, problem);
  if (!channel.declared && finding.data?.['declareChannelOnly'] === true) {
    const title = problem === 'missing' ? `Add the \`${SECURITY_CHANNEL}\` channel under \`channels\`` : `Give the \`${SECURITY_CHANNEL}\` channel a target`;
    return compact([quickFix(title, finding, [declareEdit], true)]);
  }
  const notifyId = uniqueStepId(`${step.id ?? `step-${step.index + 1}`}-notify-security`, steps);
  const message = doubleQuoted(`${whatChanged(step)}; security please review`);
  const edits: Array<TextEdit | undefined> = insertFollowingStep(text, steps, step,
    [['id', notifyId], ['action', 'notify'], ['channel', SECURITY_CHANNEL], ['message', message]],
    [['on-failure', 'continue']]);
  if (!channel.declared) edits.push(declareEdit);
  const title = `Notify security after ${step.label}${problem === undefined ? '' : problem === 'missing' ? ` and add a \`${SECURITY_CHANNEL}\` channel` : ` and give the \`${SECURITY_CHANNEL}\` channel a target`}`;
  return compact([quickFix(title, finding, edits, true)]);
};

/** The `security` key with the placeholder: added, or written into the key that holds nothing. */
function declareChannel(context: FixContext, problem: 'missing' | 'empty'): TextEdit | undefined {
  const value = doubleQuoted(SECURITY_CHANNEL_PLACEHOLDER);
  if (problem === 'missing') return addRootEntry(context, 'channels', SECURITY_CHANNEL, value, { after: [], before: 'steps' });
  const pair = findPair(getNode(context.analysis.parsed.yaml?.contents, 'channels'), SECURITY_CHANNEL) as Pair | undefined;
  if (!pair) return undefined;
  const node = pair.value as Node | null;
  if (node && !isScalar(node)) return undefined; // a map or a list: not ours to rewrite
  if (node?.range && node.range[1] > node.range[0]) return replaceScalar(context.text, nodeRange(node), SECURITY_CHANNEL_PLACEHOLDER);
  // `security:` with nothing after the colon: the value goes right after it.
  const keyEnd = nodeRange(pair.key as Node).end;
  const colon = context.text.indexOf(':', keyEnd);
  if (colon < 0) return undefined;
  return { range: { start: colon + 1, end: colon + 1 }, newText: ` ${value}` };
}

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
