/**
 * One notification posted to a webhook during an incident run: Slack-compatible JSON
 * (`{"text": …}`), each attempt bounded by a time-out, retried with backoff, and never followed
 * through a redirect (a webhook that sends elsewhere is a failure). The outcome is a `Delivery`
 * for the run's record, whose words never hold the URL: it is a secret. The text comes already
 * redacted (the queue, webhookQueue.ts, is the door that redacts). All of it is asynchronous:
 * waiting on a slow or silent receiver never holds up the editor or the CLI.
 *
 * Proxies come from the environment (undici's `EnvHttpProxyAgent`, as advisory downloads use),
 * except for a loopback address: that is this machine, which a proxy elsewhere cannot reach.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import type { Delivery } from '../core/index.js';
import { proxyAwareDispatcher } from './advisoryDownload.js';
import { errorWords, statusWords, withoutUrl } from './webhookErrors.js';
import { isLoopback, webhookUrlProblem } from '../shared/webhookAddress.js';

export interface DeliverOptions {
  /** Longest one attempt may take, connection to answer. Default 10 s. */
  timeoutMs?: number;
  /** The waits before each retry: as many retries as waits. Default 1 s, 2 s, 4 s. */
  backoffMs?: readonly number[];
  /** The connections to share (a run's); without them, a delivery opens and closes its own. */
  agents?: WebhookAgents;
  /** One dispatcher for every URL, in place of `agents`. */
  dispatcher?: Dispatcher;
  /** Stops the attempt and the waits: the delivery fails as `cancelled`. */
  signal?: AbortSignal;
  userAgent?: string;
}

export const DELIVERY_DEFAULTS = { timeoutMs: 10_000, backoffMs: [1_000, 2_000, 4_000] as readonly number[] };

/** The most of an answer's body read: enough for a short error code, never a large body. */
const MAX_SAID = 256;

type Attempt = { ok: true; httpStatus: number } | { ok: false; httpStatus?: number; error: string };

/** Posts `{"text": text}` to `url` until a 2xx answer or the retries run out. Never throws. */
export async function deliver(url: string, text: string, options: DeliverOptions = {}): Promise<Delivery> {
  const problem = webhookUrlProblem(url);
  if (problem !== undefined) return { status: 'failed', attempts: 0, error: `the webhook URL ${problem}` };
  const target = new URL(url.trim());
  const timeoutMs = options.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs;
  const backoff = options.backoffMs ?? DELIVERY_DEFAULTS.backoffMs;
  const own = options.dispatcher || options.agents ? undefined : new WebhookAgents(timeoutMs);
  try {
    let dispatcher: Dispatcher;
    try {
      dispatcher = options.dispatcher ?? (await (options.agents ?? own)!.for(target));
    } catch {
      // undici refuses a proxy variable that is not a URL; its value is not repeated (it can hold credentials).
      return { status: 'failed', attempts: 0, error: 'the proxy setting (HTTPS_PROXY or HTTP_PROXY) is not a URL' };
    }
    const body = JSON.stringify({ text });
    for (let attempts = 1; ; attempts++) {
      // Cancelled before this attempt started: only the attempts made count.
      if (options.signal?.aborted) return { status: 'failed', attempts: attempts - 1, error: 'cancelled' };
      const result = await attempt(target, body, dispatcher, timeoutMs, options);
      if (result.ok) return { status: 'delivered', attempts, httpStatus: result.httpStatus };
      const wait = backoff[attempts - 1];
      if (wait === undefined || options.signal?.aborted || !(await paused(wait, options.signal))) {
        const error = withoutUrl(options.signal?.aborted ? 'cancelled' : result.error, target, url);
        return { status: 'failed', attempts, ...(result.httpStatus !== undefined ? { httpStatus: result.httpStatus } : {}), error };
      }
    }
  } finally {
    await own?.close();
  }
}

/** One POST, bounded by `timeoutMs` from the connection to the end of the answer. */
async function attempt(target: URL, body: string, dispatcher: Dispatcher, timeoutMs: number, options: DeliverOptions): Promise<Attempt> {
  const { request } = await import('undici');
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const cancel = (): void => controller.abort();
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': options.userAgent ?? 'incident-playbook' };
    // Credentials written in the URL (a relay's) go as a header: undici would drop them.
    if (target.username || target.password) headers['authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    const bare = new URL(target);
    bare.username = '';
    bare.password = '';
    const response = await request(bare, { method: 'POST', headers, body, dispatcher, signal: controller.signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const said = await start(response.body);
    if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, httpStatus: response.statusCode };
    return { ok: false, httpStatus: response.statusCode, error: statusWords(response.statusCode, said) };
  } catch (error) {
    if (timedOut) return { ok: false, error: `time-out: no answer within ${seconds(timeoutMs)} (the time allowed for one attempt)` };
    if (options.signal?.aborted) return { ok: false, error: 'cancelled' };
    return { ok: false, error: errorWords(error) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', cancel);
  }
}

/** The first bytes of an answer's body as text; the rest is not read. */
async function start(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_SAID) break; // leaving the loop destroys the body
  }
  return Buffer.concat(chunks).subarray(0, MAX_SAID).toString('utf8');
}

/** Waits `ms`; false when cancelled first. */
async function paused(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
}

/**
 * The connections a run's deliveries share: one direct agent for loopback addresses, one
 * proxy-aware agent for the rest, each made on first use. undici is loaded then, not at start.
 */
export class WebhookAgents {
  private direct?: Promise<Dispatcher>;
  private proxied?: Promise<Dispatcher>;

  constructor(private readonly timeoutMs: number) {}

  for(url: URL): Promise<Dispatcher> {
    const timeouts = { connectMs: this.timeoutMs, headersMs: this.timeoutMs, idleMs: this.timeoutMs };
    if (isLoopback(url.hostname)) {
      this.direct ??= import('undici').then(({ Agent }) => new Agent({ connect: { timeout: timeouts.connectMs }, headersTimeout: timeouts.headersMs, bodyTimeout: timeouts.idleMs }));
      return this.direct;
    }
    this.proxied ??= proxyAwareDispatcher(timeouts);
    return this.proxied;
  }

  /** Closes the connections at once: nothing is left to keep the process alive. */
  async close(): Promise<void> {
    const made = [this.direct, this.proxied].filter((agent) => agent !== undefined);
    this.direct = this.proxied = undefined;
    // An agent that could not be made (a proxy variable that is not a URL) has nothing to close.
    await Promise.all(made.map((agent) => agent.then((dispatcher) => dispatcher.destroy()).catch(() => undefined)));
  }
}
