/**
 * The notifications of one incident run that have not reached their webhook yet. A notification is
 * posted with its retries; if it still fails, or its webhook URL is not set yet, it stays queued, is
 * tried again when the run asks (after each later step, at the end), and leaves the queue only when
 * it is delivered or the person gives up. Its address is asked again at each try, so a URL set or
 * stored during the run is used from the next one. This is bookkeeping around `deliver`: the run's adapter records each outcome
 * it returns as an event.
 *
 * Every text is redacted here, with the playbook's redaction, before it is sent: the queue is the
 * only door to the network, so no caller can forget it.
 */
import type { Delivery, Redact } from '../core/index.js';
import { deliver, DELIVERY_DEFAULTS, WebhookAgents, type DeliverOptions } from './webhook.js';

export interface QueueOptions extends Pick<DeliverOptions, 'timeoutMs' | 'backoffMs' | 'userAgent'> {
  /** The playbook's redaction (`redactorFor(parsed)`): what PB104 flags never leaves the machine. */
  redact: Redact;
}

/** Where a notification goes, asked at each try: its URL, or why there is none yet (words with no URL in them). */
export type Address = () => Promise<{ url: string } | { missing: string }>;

interface Entry {
  address: Address;
  /** Already redacted. */
  text: string;
  delivery: Delivery;
  /** Aborts this entry's attempt in flight (when the person gives up). */
  inFlight?: AbortController;
}

/** What a caller chooses of a queue: time-outs, backoff, user agent (the redaction comes with the run's playbook). */
export type DeliverySettings = Omit<QueueOptions, 'redact'>;

export interface Outcome {
  id: number;
  delivery: Delivery;
}

export class DeliveryQueue {
  private readonly queued = new Map<number, Entry>();
  private readonly agents: WebhookAgents;
  private readonly closing = new AbortController();
  private retrying: Promise<Outcome[]> | undefined;

  constructor(private readonly options: QueueOptions) {
    this.agents = new WebhookAgents(options.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs);
  }

  /**
   * Posts notification `id` (its retries included): `delivered`; `queued` when every attempt
   * failed or its address has no URL yet; or `failed` for good when the platform cannot send at all
   * (a proxy variable that is not a URL: waiting would not change it).
   */
  async send(id: number, address: Address, text: string): Promise<Delivery> {
    if (this.queued.has(id)) throw new Error(`notification ${id} is already queued`);
    const redacted = this.options.redact(text);
    const delivery = await this.attempt(address, redacted, this.options.backoffMs ?? DELIVERY_DEFAULTS.backoffMs, this.closing.signal);
    if (delivery.status === 'delivered' || delivery.status === 'failed' && delivery.attempts === 0) return delivery;
    const queued: Delivery = { ...delivery, status: 'queued' };
    this.queued.set(id, { address, text: redacted, delivery: queued });
    return queued;
  }

  /**
   * One more attempt at each queued notification, oldest first. Returns those whose delivery
   * changed: delivered, or failing in other words than before (a failure that says the same again
   * only adds to its attempts, which `pending` shows). Calls while one runs share it.
   */
  retryQueued(): Promise<Outcome[]> {
    this.retrying ??= this.retryAll().finally(() => (this.retrying = undefined));
    return this.retrying;
  }

  /** The person gives up on notification `id`: it leaves the queue, recorded as `given-up`. Undefined when it is not queued. */
  giveUp(id: number): Delivery | undefined {
    const entry = this.queued.get(id);
    if (!entry) return undefined;
    this.queued.delete(id);
    entry.inFlight?.abort();
    return { ...entry.delivery, status: 'given-up' };
  }

  /** The notifications still queued, oldest first, with their last delivery. */
  pending(): Outcome[] {
    return [...this.queued].sort(([a], [b]) => a - b).map(([id, entry]) => ({ id, delivery: entry.delivery }));
  }

  /** Stops whatever is in flight and closes the connections (the run is over, or its window closed). */
  async close(): Promise<void> {
    this.closing.abort();
    await this.agents.close();
  }

  private async retryAll(): Promise<Outcome[]> {
    const changed: Outcome[] = [];
    for (const { id } of this.pending()) {
      const entry = this.queued.get(id);
      if (!entry || this.closing.signal.aborted) continue;
      entry.inFlight = new AbortController();
      const result = await this.attempt(entry.address, entry.text, [], AbortSignal.any([this.closing.signal, entry.inFlight.signal]));
      entry.inFlight = undefined;
      if (this.queued.get(id) !== entry) continue; // given up meanwhile: that is its outcome
      const before = entry.delivery;
      const attempts = before.attempts + result.attempts;
      if (result.status === 'delivered') {
        this.queued.delete(id);
        changed.push({ id, delivery: { ...result, attempts } });
        continue;
      }
      entry.delivery = { ...result, status: 'queued', attempts };
      if (result.error !== before.error || result.httpStatus !== before.httpStatus) changed.push({ id, delivery: entry.delivery });
    }
    return changed;
  }

  /** One try, its retries included: the address asked now, and the text posted there when it has a URL. */
  private async attempt(address: Address, text: string, backoffMs: readonly number[], signal: AbortSignal): Promise<Delivery> {
    const where = await address();
    if (!('url' in where)) return waiting(where.missing);
    const { timeoutMs, userAgent } = this.options;
    return deliver(where.url, text, { timeoutMs, userAgent, backoffMs, agents: this.agents, signal });
  }
}

/** A notification whose webhook has no URL yet: nothing was attempted, and it waits for one. */
function waiting(why: string): Delivery {
  return { status: 'queued', attempts: 0, error: why };
}
