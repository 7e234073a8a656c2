/**
 * One file fetched over HTTP(S) into place, or left as it was: a conditional GET (a 304 keeps the
 * file), the body streamed to a temporary file beside the target, stopped past a size cap or when
 * it stalls, checked by the caller, and only then renamed over the target. Whatever fails —
 * refused, cut short, too big, too slow, not what the caller expects, cancelled — the target is
 * untouched and the temporary file removed. Proxies come from the environment (undici's
 * `EnvHttpProxyAgent`: HTTPS_PROXY, HTTP_PROXY, NO_PROXY). Redirects are followed by hand, and only
 * to http(s) URLs that do not step down from https.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import { removeAbandonedTemporaries } from './writeFile.js';

export interface Timeouts {
  /** To open the connection (the proxy's, behind one). */
  connectMs: number;
  /** From the request to the response's headers. */
  headersMs: number;
  /** Longest wait for the next piece of the body. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 15_000, headersMs: 30_000, idleMs: 30_000 };

export interface DownloadOptions {
  /** Validators of the copy the target holds, sent so that an unchanged file is answered 304. */
  etag?: string;
  lastModified?: string;
  /** A body larger than this is refused (declared or counted). */
  maxBytes: number;
  /** Checks the complete download before it replaces the target: a reason refuses it. */
  verify(temporaryFile: string): Promise<string | undefined>;
  dispatcher: Dispatcher;
  timeouts: Timeouts;
  userAgent: string;
  signal?: AbortSignal;
  onProgress?(received: number, total: number | undefined): void;
}

export type DownloadResult =
  | { outcome: 'updated'; bytes: number; etag?: string; lastModified?: string }
  | { outcome: 'not-modified'; etag?: string; lastModified?: string }
  | { outcome: 'failed'; problem: string; cancelled?: true };

const MAX_REDIRECTS = 5;

/**
 * One agent per update: connections to the mirror are reused from one ecosystem to the next. undici
 * is loaded here, on the first download, not when the CLI or the server starts (~40 ms of every start).
 */
export async function proxyAwareDispatcher(timeouts: Timeouts): Promise<Dispatcher> {
  const { EnvHttpProxyAgent } = await import('undici');
  return new EnvHttpProxyAgent({ connect: { timeout: timeouts.connectMs }, headersTimeout: timeouts.headersMs, bodyTimeout: timeouts.idleMs });
}

class Refused extends Error {}

export async function downloadFile(url: URL, target: string, options: DownloadOptions): Promise<DownloadResult> {
  let response: Dispatcher.ResponseData;
  try {
    response = await follow(url, options);
  } catch (error) {
    return failure(error, options.signal);
  }
  const { statusCode, headers, body } = response;
  const validators = { ...header(headers, 'etag', 'etag'), ...header(headers, 'last-modified', 'lastModified') };
  if (statusCode === 304) {
    body.dump().catch(() => undefined);
    if (options.etag === undefined && options.lastModified === undefined) return { outcome: 'failed', problem: 'the server answered 304 Not Modified to a request that was not conditional' };
    return { outcome: 'not-modified', ...validators };
  }
  if (statusCode !== 200) {
    body.dump().catch(() => undefined);
    return { outcome: 'failed', problem: `the server answered HTTP ${statusCode}${STATUS_CODES[statusCode] ? ` (${STATUS_CODES[statusCode]})` : ''}` };
  }
  const declared = contentLength(headers);
  if (declared !== undefined && declared > options.maxBytes) {
    body.destroy();
    return { outcome: 'failed', problem: tooBig(`the server declares ${sizeText(declared)}`, options.maxBytes) };
  }
  try {
    const bytes = await intoPlace(body, target, declared, options);
    return { outcome: 'updated', bytes, ...validators };
  } catch (error) {
    body.destroy();
    return failure(error, options.signal);
  }
}

/** The response to `url`, after redirects to http(s) URLs (an https URL never sends on to http). */
async function follow(start: URL, options: DownloadOptions): Promise<Dispatcher.ResponseData> {
  const { request } = await import('undici');
  let url = start;
  const credentials = start.username || start.password ? `Basic ${Buffer.from(`${decodeURIComponent(start.username)}:${decodeURIComponent(start.password)}`).toString('base64')}` : undefined;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { 'user-agent': options.userAgent, 'accept-encoding': 'identity' };
    if (options.etag !== undefined) headers['if-none-match'] = options.etag;
    if (options.lastModified !== undefined) headers['if-modified-since'] = options.lastModified;
    // Credentials written in the mirror's URL go to the mirror alone, never to where it redirects.
    if (credentials && url.origin === start.origin) headers['authorization'] = credentials;
    const bare = new URL(url);
    bare.username = '';
    bare.password = '';
    const response = await request(bare, { method: 'GET', headers, dispatcher: options.dispatcher, signal: options.signal, headersTimeout: options.timeouts.headersMs, bodyTimeout: options.timeouts.idleMs });
    if (![301, 302, 303, 307, 308].includes(response.statusCode)) return response;
    response.body.dump().catch(() => undefined);
    const location = header(response.headers, 'location', 'location').location;
    if (location === undefined) throw new Refused(`the server answered HTTP ${response.statusCode} without saying where to`);
    if (hop + 1 > MAX_REDIRECTS) throw new Refused(`more than ${MAX_REDIRECTS} redirects`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new Refused('the server redirected to something that is not a URL');
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new Refused(`the server redirected to a ${next.protocol} URL; only http and https are followed`);
    if (url.protocol === 'https:' && next.protocol === 'http:') throw new Refused('the server redirected from https to plain http; that is not followed');
    url = next;
  }
}

/** Streams the body to `<target>.<pid>-<random>.tmp`, verifies it and renames it over the target; the byte count. */
async function intoPlace(body: Dispatcher.ResponseData['body'], target: string, declared: number | undefined, options: DownloadOptions): Promise<number> {
  removeAbandonedTemporaries(target);
  const temporary = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(temporary, 'wx', 0o644);
  let closed = false;
  try {
    let received = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > options.maxBytes) throw new Refused(tooBig(`the download passed ${sizeText(options.maxBytes)}`, options.maxBytes));
      await handle.write(chunk);
      options.onProgress?.(received, declared);
    }
    if (declared !== undefined && received !== declared) throw new Refused(`the connection closed after ${received} of the ${declared} bytes declared`);
    await handle.sync();
    await handle.close();
    closed = true;
    const problem = await options.verify(temporary);
    if (problem !== undefined) throw new Refused(problem);
    await fs.rename(temporary, target);
    return received;
  } catch (error) {
    if (!closed) await handle.close().catch(() => undefined);
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** What went wrong, in words (no stack, nothing the server chose to say). */
function failure(error: unknown, signal: AbortSignal | undefined): DownloadResult {
  if (signal?.aborted) return { outcome: 'failed', problem: 'cancelled', cancelled: true };
  if (error instanceof Refused) return { outcome: 'failed', problem: error.message };
  // undici says so in its own words; the status is all that matters.
  const proxied = /^Proxy response \((\d+)\)/.exec(error instanceof Error ? error.message : '');
  if (proxied) return { outcome: 'failed', problem: `the proxy (HTTPS_PROXY or HTTP_PROXY) refused the connection: HTTP ${proxied[1]}` };
  const code = (error as { code?: unknown })?.code;
  const problem = (() => {
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT': return 'no connection within the time allowed';
      case 'UND_ERR_HEADERS_TIMEOUT': return 'no answer within the time allowed';
      case 'UND_ERR_BODY_TIMEOUT': return 'the download stalled: nothing arrived within the time allowed';
      case 'UND_ERR_SOCKET':
      case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      case 'ECONNRESET': return 'the connection closed before the download was complete';
      case 'ECONNREFUSED': return 'the connection was refused';
      case 'ENOTFOUND':
      case 'EAI_AGAIN': return 'the host name cannot be resolved';
      case 'ENOSPC': return 'the disk is full';
      case 'EACCES':
      case 'EPERM': return 'the folder cannot be written to (permission denied)';
      default: {
        const message = error instanceof Error ? error.message : String(error);
        return `${message.split('\n')[0]}${typeof code === 'string' ? ` (${code})` : ''}`;
      }
    }
  })();
  return { outcome: 'failed', problem };
}

function header<K extends string>(headers: Dispatcher.ResponseData['headers'], name: string, key: K): Partial<Record<K, string>> {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' && text !== '' ? ({ [key]: text } as Partial<Record<K, string>>) : {};
}

function contentLength(headers: Dispatcher.ResponseData['headers']): number | undefined {
  const { length } = header(headers, 'content-length', 'length');
  return length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
}

function tooBig(what: string, maxBytes: number): string {
  return `${what}, over the ${sizeText(maxBytes)} limit for one zip (the policy's limits.maxZipBytes)`;
}

/** "40.1 MB", "12.0 KB", "512 bytes". */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}
