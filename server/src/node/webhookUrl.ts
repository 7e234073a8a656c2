/**
 * Where a channel role's notifications go during an incident run: the policy's `notify` names an
 * environment variable (or an editor secret) holding the webhook URL, never the URL itself, so the
 * address stays out of the repository. A webhook URL is a secret (whoever has it can post to the
 * channel): nothing here ever puts it, or any part of it, in a message. It must be https, except to
 * a loopback address (a relay on this machine, the tests).
 */
import type { Delivery, Policy } from '../core/index.js';
import { webhookUrlProblem } from '../shared/webhookAddress.js';

/** Somewhere to look a name up: the process's environment, or the editor's secrets fetched ahead. */
type Lookup = Readonly<Record<string, string | undefined>>;

export type WebhookTarget =
  | { url: string }
  /** `not-configured`: the policy binds no webhook to the role; `unusable`: it does, but there is no usable URL. */
  | { unavailable: 'not-configured' | 'unusable'; reason: string };

/**
 * The webhook URL for `channelRole`, or why there is none. `secrets` (the editor's secret storage,
 * read ahead for the names the policy uses) is tried before `env`: a secret a person stored in this
 * editor is the choice made for it. An empty value counts as unset.
 */
export function resolveWebhook(policy: Policy, channelRole: string, env: Lookup, secrets?: ReadonlyMap<string, string>): WebhookTarget {
  const binding = policy.notify.get(channelRole);
  if (!binding) return { unavailable: 'not-configured', reason: notConfiguredReason(channelRole) };
  const name = binding.webhookEnv;
  const value = nonEmpty(secrets?.get(name)) ?? nonEmpty(Object.hasOwn(env, name) ? env[name] : undefined);
  if (value === undefined) {
    const where = secrets ? "in the environment or the editor's secret storage" : 'in the environment';
    return { unavailable: 'unusable', reason: `\`${name}\` (the webhook of the \`${channelRole}\` channel) is not set ${where}` };
  }
  const problem = webhookUrlProblem(value);
  return problem === undefined ? { url: value } : { unavailable: 'unusable', reason: `\`${name}\` (the webhook of the \`${channelRole}\` channel) ${problem}` };
}

/** How a notification to a role the policy binds no webhook to is recorded: nothing is attempted, ever. */
export function notConfigured(channelRole: string): Delivery {
  return { status: 'not-configured', attempts: 0, error: notConfiguredReason(channelRole) };
}

const notConfiguredReason = (channelRole: string): string => `the policy binds no webhook to the \`${channelRole}\` channel (its \`notify\` section)`;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
