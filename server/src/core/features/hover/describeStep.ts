/**
 * What a step does, in a few words of Markdown: "rolls `checkout` back to 2.3.1". For hover and
 * completion documentation. Values pass the secret redaction before a command is cut short, so no
 * part of a secret survives the cut, and are escaped after it (util/markdownText.ts).
 */
import { declaredChannel, stepField } from '../../graph/securitySteps.js';
import type { ParsedPlaybook, StepModel } from '../../parse/model.js';
import { stringItems } from '../../parse/yamlNodes.js';
import { redactorFor, type Redact } from '../../security/redact.js';
import { code as codeSpan, phrase, toolInline } from '../../util/markdownText.js';

const MAX_COMMAND = 60;

export function describeStep(step: StepModel, parsed: ParsedPlaybook): string {
  const redact = redactorFor(parsed);
  return redact(describe(step, parsed, redact));
}

function describe(step: StepModel, parsed: ParsedPlaybook, redact: Redact): string {
  const raw = (key: string): string | undefined => {
    const value = stepField(step, key)?.value;
    return value === undefined ? undefined : redact(value);
  };
  const plain = (key: string): string => phrase(raw(key) ?? '?');
  const code = (key: string): string => codeSpan(short(raw(key) ?? '?'));
  switch (step.action) {
    case 'diagnose':
      if (raw('run') !== undefined) return `looks at the system: runs ${code('run')}`;
      return raw('query') !== undefined ? `looks at the system: queries ${code('query')}` : 'looks at the system';
    case 'run':
      return `runs ${code('command')}`;
    case 'rollback':
      return `rolls ${code('service')} back to ${plain('to')}`;
    case 'deploy':
      return `deploys ${plain('version')} of ${code('service')}`;
    case 'restart':
      return `restarts ${code('service')}`;
    case 'scale':
      return `scales ${code('service')} to ${plain('replicas')} replicas`;
    case 'failover':
      return `fails ${code('service')} over to ${code('to')}`;
    case 'feature-flag':
      return `turns the feature flag ${code('flag')} ${plain('state')}`;
    case 'config-change':
      return `changes the configuration of ${code('service')}`;
    case 'access-grant':
      return `grants ${code('role')} to ${code('principal')} ${raw('duration') !== undefined ? `for ${plain('duration')}` : 'with no `duration`'}`;
    case 'access-revoke':
      return `revokes ${code('role')} from ${code('principal')}`;
    case 'rotate-secret':
      return `rotates the secret ${code('secret')}`;
    case 'block-traffic':
      return `blocks traffic with the rule ${code('rule')}`;
    case 'notify':
      return `notifies the channel ${code('channel')}${channelTarget(parsed, stepField(step, 'channel')?.value, redact)}`;
    case 'escalate':
      return `escalates to ${code('to')}`;
    case 'checkpoint':
      return `waits for ${code('kind')} approval${approvers(step, redact)}`;
    case 'wait':
      return `waits ${plain('duration')}`;
    case 'postmortem':
      return raw('due') !== undefined ? `schedules the postmortem, due within ${plain('due')}` : 'schedules the postmortem';
    case undefined:
      return 'has no `action` yet';
    default:
      return `does ${codeSpan(redact(step.action))}, which is not a known action`;
  }
}

function short(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').replace(/`/g, "'").trim();
  return oneLine.length > MAX_COMMAND ? `${oneLine.slice(0, MAX_COMMAND - 1)}…` : oneLine;
}

function channelTarget(parsed: ParsedPlaybook, name: string | undefined, redact: Redact): string {
  if (name === undefined) return '';
  const channel = declaredChannel(parsed, name);
  return channel.declared ? ` (${phrase(redact(channel.target))})` : `, which reaches no one: ${toolInline(redact(channel.why))}`;
}

function approvers(step: StepModel, redact: Redact): string {
  const names = stringItems(step.pairs.get('approvers')?.value).map((i) => codeSpan(redact(i.value)));
  return names.length ? ` from ${names.join(', ')}` : '';
}
