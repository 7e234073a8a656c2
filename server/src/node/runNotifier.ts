/**
 * How a run's notifications leave the machine: each channel role's webhook as the policy's `notify`
 * names it (resolveWebhook: an editor secret or an environment variable, https or loopback), posted
 * through one DeliveryQueue per run (retries, what still fails kept queued). A role the policy
 * binds no webhook to is recorded `not-configured`; one whose URL is missing or unusable stays
 * queued with the reason (never the URL), and goes once a URL is set or stored.
 */
import type { Delivery, Policy, Redact } from '../core/index.js';
import { DeliveryQueue, type DeliverySettings } from './webhookQueue.js';
import { notConfigured, resolveWebhook } from './webhookUrl.js';

export interface RunNotifier {
  send(channel: string, text: string, id: number): Promise<Delivery>;
  /** One more attempt at each queued notification: those whose delivery changed. */
  retryQueued(): Promise<Array<{ id: number; delivery: Delivery }>>;
  /** The person gives up on queued notification `id`: its last delivery, now `given-up`; undefined when it is not queued here. */
  giveUp(id: number): Delivery | undefined;
  close(): Promise<void>;
}

/** The editor's stored webhook URLs for these names (its secret storage), asked at each send: a URL stored during a run is used from then on. */
export type SecretLookup = (names: string[]) => Promise<ReadonlyMap<string, string>>;

export function runNotifier(policy: Policy, env: Readonly<Record<string, string | undefined>>, redact: Redact, options: DeliverySettings = {}, secrets?: SecretLookup): RunNotifier {
  const queue = new DeliveryQueue({ ...options, redact });
  return {
    async send(channel, text, id) {
      const name = policy.notify.get(channel)?.webhookEnv;
      if (name === undefined) return notConfigured(channel);
      // Asked at each try: a URL stored in the editor or set meanwhile is used from then on.
      return queue.send(id, async () => {
        const target = resolveWebhook(policy, channel, env, secrets ? await secrets([name]) : undefined);
        return 'url' in target ? target : { missing: target.reason };
      }, text);
    },
    retryQueued: () => queue.retryQueued(),
    giveUp: (id) => queue.giveUp(id),
    close: () => queue.close(),
  };
}
