/**
 * What a step would do, in words an on-call reads aloud in a rehearsal: "would roll back checkout
 * from 2.4.0 to 2.3.1". Commands and queries are quoted and cut to one short line; a missing field
 * reads as `?` (PB002 reports it).
 */
import { stepField, type DeclaredChannel } from '../graph/securitySteps.js';
import type { PlaybookModel, StepModel } from '../parse/model.js';
import { stringItems } from '../parse/yamlNodes.js';
import type { Redact } from '../security/redact.js';
import type { Approver } from './types.js';

const MAX_QUOTED = 80;

export interface DescribeContext {
  model: PlaybookModel;
  owners: ReadonlyMap<string, string>;
  channel(name: string): DeclaredChannel;
  /** The secret redaction: applied to each value before it is cut to one line, so no part of a secret survives the cut. */
  redact: Redact;
}

export function wouldDo(step: StepModel, { model, owners, channel, redact }: DescribeContext): string {
  const written = (key: string): string | undefined => stepField(step, key)?.value;
  const raw = (key: string): string | undefined => {
    const value = written(key);
    return value === undefined ? undefined : redact(value);
  };
  const word = (key: string): string => raw(key) ?? '?';
  const code = (key: string): string => `\`${oneLine(raw(key) ?? '?').replace(/`/g, "'")}\``;
  const service = model.services.get(written('service') ?? '');
  switch (step.action) {
    case 'diagnose':
      if (raw('run') !== undefined) return `would diagnose by running ${code('run')}`;
      return raw('query') !== undefined ? `would diagnose with the query ${code('query')}` : 'would diagnose';
    case 'run':
      return `would run ${code('command')}`;
    case 'rollback':
      return `would roll back ${word('service')}${service?.current !== undefined ? ` from ${service.current}` : ''} to ${word('to')}`;
    case 'deploy':
      return `would deploy ${word('service')} ${word('version')}${service?.current !== undefined ? ` over ${service.current}` : ''}`;
    case 'restart':
      return `would restart ${word('service')}`;
    case 'scale':
      return `would scale ${word('service')} to ${word('replicas')} replicas`;
    case 'failover':
      return `would fail ${word('service')} over to ${word('to')}`;
    case 'feature-flag':
      return `would turn the feature flag ${word('flag')} ${word('state')}`;
    case 'config-change':
      return `would change the configuration of ${word('service')}: ${code('change')}`;
    case 'access-grant':
      return `would grant ${word('role')} to ${word('principal')} ${raw('duration') !== undefined ? `for ${word('duration')}` : 'with no time limit'}`;
    case 'access-revoke':
      return `would revoke ${word('role')} from ${word('principal')}`;
    case 'rotate-secret':
      return `would rotate the secret ${word('secret')}`;
    case 'block-traffic':
      return `would block traffic with the rule ${code('rule')}`;
    case 'notify': {
      const declared = channel(written('channel') ?? '');
      const message = raw('message');
      const to = declared.declared ? ` (${declared.target})` : ` (${declared.why}, so the message reaches no one)`;
      return `would notify ${word('channel')}${to}${message === undefined ? '' : `: "${oneLine(message)}"`}`;
    }
    case 'escalate':
      return `would escalate to ${named(word('to'), owners.get(written('to') ?? ''))}`;
    case 'checkpoint': {
      const asked = approversOf(step, owners).map((a) => named(a.name, a.contact));
      return asked.length ? `would ask ${asked.join(', ')} for approval (${word('kind')})` : `would wait for approval (${word('kind')})`;
    }
    case 'wait':
      return `would wait ${word('duration')}`;
    case 'postmortem':
      return raw('due') !== undefined ? `would schedule the postmortem, due within ${word('due')}` : 'would schedule the postmortem';
    case undefined:
      return 'has no `action`: nothing would happen';
    default:
      return `would do \`${step.action}\`, which is not a known action`;
  }
}

/** The checkpoint's `approvers`, each with its `owners` contact when there is one. */
export function approversOf(step: StepModel, owners: ReadonlyMap<string, string>): Approver[] {
  return stringItems(step.pairs.get('approvers')?.value).map(({ value }) => {
    const contact = owners.get(value);
    return contact === undefined ? { name: value } : { name: value, contact };
  });
}

function named(name: string, contact: string | undefined): string {
  return contact === undefined ? name : `${name} (${contact})`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED - 1)}…` : line;
}
