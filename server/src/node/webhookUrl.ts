/**
 * Where a channel role's notifications go during an incident run: the policy's `notify` names an
 * environment variable (or an editor secret) holding the webhook URL, never the URL itself, so the
 * address stays out of the repository. A webhook URL is a secret (whoever has it can post to the
 * channel): nothing here ever puts it, or any part of it, in a message. It must be https, except to
 * a loopback address (a relay on this machine, the tests).
 */
import type { Delivery, Policy } from '../core/index.js';

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
  if (!binding) return { unavailable: 'not-configured', reason: `the policy binds no webhook to the \`${channelRole}\` channel (its \`notify\` section)` };
  const name = binding.webhookEnv;
  const value = nonEmpty(secrets?.get(name)) ?? nonEmpty(Object.hasOwn(env, name) ? env[name] : undefined);
  if (value === undefined) {
    const where = secrets ? "in the environment or the editor's secret storage" : 'in the environment';
    return { unavailable: 'unusable', reason: `\`${name}\` (the webhook of the \`${channelRole}\` channel) is not set ${where}` };
  }
  const problem = webhookUrlProblem(value);
  return problem === undefined ? { url: value } : { unavailable: 'unusable', reason: `\`${name}\` (the webhook of the \`${channelRole}\` channel) ${problem}` };
}

/** How a notification that cannot be sent at all is recorded: nothing was attempted. */
export function unavailableDelivery(target: Extract<WebhookTarget, { unavailable: string }>): Delivery {
  return { status: target.unavailable === 'not-configured' ? 'not-configured' : 'failed', attempts: 0, error: target.reason };
}

/**
 * Why `url` may not be posted to, in words that follow "the webhook URL" or a variable's name and
 * never repeat it; undefined when it may.
 */
export function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'does not hold a URL';
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:') return isLoopback(parsed.hostname) ? undefined : 'holds a plain http URL to a host that is not this machine: a webhook must be https (http only to a loopback address: 127.0.0.0/8, ::1, localhost)';
  return `holds a ${parsed.protocol.replace(/:$/, '')} URL: a webhook must be https`;
}

/**
 * 127.0.0.0/8, ::1 and localhost, as the WHATWG URL parser writes a host (`127.1` and `0x7f.1` are
 * already `127.0.0.1`; an IPv6 host keeps its brackets).
 */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
