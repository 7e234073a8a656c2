/**
 * What a step would do, in words an on-call reads aloud in a rehearsal: "would roll back checkout
 * from 2.4.0 to 2.3.1". Commands and queries are quoted and cut to one short line in `wouldDo`;
 * the reports that have room show them whole from `quote`. A missing field reads as `?` (PB002
 * reports it).
 */
import { stepField, type DeclaredChannel } from '../graph/securitySteps.js';
import type { PlaybookModel, StepModel } from '../parse/model.js';
import { stringItems } from '../parse/yamlNodes.js';
import type { Redact } from '../security/redact.js';
import type { Approver, Quote } from './types.js';

const MAX_QUOTED = 80;

export interface DescribeContext {
  model: PlaybookModel;
  owners: ReadonlyMap<string, string>;
  channel(name: string): DeclaredChannel;
  /** The secret redaction: applied to each value before it is cut to one line, so no part of a secret survives the cut. */
  redact: Redact;
}

export interface StepWords {
  wouldDo: string;
  quote?: Quote;
}

export function describeStep(step: StepModel, { model, owners, channel, redact }: DescribeContext): StepWords {
  const written = (key: string): string | undefined => stepField(step, key)?.value;
  const raw = (key: string): string | undefined => {
    const value = written(key);
    return value === undefined ? undefined : redact(value);
  };
  const word = (key: string): string => raw(key) ?? '?';
  // A command, query, rule or change: cut to one line in the sentence, whole in the quote.
  const quoting = (lead: string, key: string, kind: Quote['kind'], joiner = ' '): StepWords => {
    const text = raw(key) ?? '?';
    return { wouldDo: `${lead}${joiner}\`${oneLine(text).replace(/`/g, "'")}\``, quote: { lead, kind, text: text.replace(/\s+$/, '') } };
  };
  const service = model.services.get(written('service') ?? '');
  const said = (wouldDo: string): StepWords => ({ wouldDo });
  switch (step.action) {
    case 'diagnose':
      if (raw('run') !== undefined) return quoting('would diagnose by running', 'run', 'command');
      return raw('query') !== undefined ? quoting('would diagnose with the query', 'query', 'query') : said('would diagnose');
    case 'run':
      return quoting('would run', 'command', 'command');
    case 'config-change':
      return quoting(`would change the configuration of ${word('service')}`, 'change', 'change', ': ');
    case 'block-traffic':
      return quoting('would block traffic with the rule', 'rule', 'rule');
    case 'notify': {
      const declared = channel(written('channel') ?? '');
      const message = raw('message');
      const to = declared.declared ? ` (${declared.target})` : ` (${declared.why}, so the message reaches no one)`;
      const lead = `would notify ${word('channel')}${to}`;
      if (message === undefined) return said(lead);
      return { wouldDo: `${lead}: "${oneLine(message)}"`, quote: { lead, kind: 'message', text: message.replace(/\s+/g, ' ').trim() } };
    }
    default:
      return said(wouldDo(step, word, service?.current, owners));
  }
}

/** The steps whose words quote nothing from the playbook but their fields. */
function wouldDo(step: StepModel, word: (key: string) => string, current: string | undefined, owners: ReadonlyMap<string, string>): string {
  const written = (key: string): string | undefined => stepField(step, key)?.value;
  const given = (key: string): boolean => written(key) !== undefined;
  switch (step.action) {
    case 'rollback':
      return `would roll back ${word('service')}${current !== undefined ? ` from ${current}` : ''} to ${word('to')}`;
    case 'deploy':
      return `would deploy ${word('service')} ${word('version')}${current !== undefined ? ` over ${current}` : ''}`;
    case 'restart':
      return `would restart ${word('service')}`;
    case 'scale':
      return `would scale ${word('service')} to ${word('replicas')} replicas`;
    case 'failover':
      return `would fail ${word('service')} over to ${word('to')}`;
    case 'feature-flag':
      return `would turn the feature flag ${word('flag')} ${word('state')}`;
    case 'access-grant':
      return `would grant ${word('role')} to ${word('principal')} ${given('duration') ? `for ${word('duration')}` : 'with no time limit'}`;
    case 'access-revoke':
      return `would revoke ${word('role')} from ${word('principal')}`;
    case 'rotate-secret':
      return `would rotate the secret ${word('secret')}`;
    case 'escalate':
      return `would escalate to ${named(word('to'), owners.get(written('to') ?? ''))}`;
    case 'checkpoint': {
      const asked = approversOf(step, owners).map((a) => named(a.name, a.contact));
      return asked.length ? `would ask ${asked.join(', ')} for approval (${word('kind')})` : `would wait for approval (${word('kind')})`;
    }
    case 'wait':
      return `would wait ${word('duration')}`;
    case 'postmortem':
      return given('due') ? `would schedule the postmortem, due within ${word('due')}` : 'would schedule the postmortem';
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
