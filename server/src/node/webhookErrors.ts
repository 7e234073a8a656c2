/**
 * Why a webhook post failed, in words a person can act on, without the URL. Errors from the
 * network stack name what they were reaching (`getaddrinfo ENOTFOUND hooks.example.com`, a TLS
 * certificate's host), and the URL of a webhook is a secret: every text made here passes
 * `withoutUrl`, which takes out the URL and each of its parts, whatever produced the text.
 */
import { STATUS_CODES } from 'node:http';

/** What an answer that is not 2xx says; `said` is the start of its body. */
export function statusWords(status: number, said: string): string {
  const name = STATUS_CODES[status] ? ` (${STATUS_CODES[status]})` : '';
  if (status >= 300 && status < 400) return `the webhook answered HTTP ${status}${name}, a redirect: a notification goes only where its URL says, so it is not followed`;
  // Slack and its look-alikes answer a refusal with a short code (`no_service`, `invalid_payload`): worth showing; any other body is not.
  const code = /^[a-z]+(?:_[a-z]+)*$/.test(said.trim()) && said.trim().length <= 40 ? `: \`${said.trim()}\`` : '';
  return `the webhook answered HTTP ${status}${name}${code}`;
}

/** A thrown network error in words (no stack, no message that would name the host). */
export function errorWords(error: unknown): string {
  const proxied = /^Proxy response \((\d+)\)/.exec(error instanceof Error ? error.message : '');
  if (proxied) return `the proxy (HTTPS_PROXY or HTTP_PROXY) refused the connection: HTTP ${proxied[1]}`;
  const code = errorCode(error);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT': return 'time-out: no connection within the time allowed';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT': return 'time-out: no answer within the time allowed';
    case 'ECONNREFUSED': return 'the connection was refused (is the receiver down?)';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED': return 'the connection closed before the webhook answered';
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return "the webhook's host name cannot be resolved";
    case 'EHOSTUNREACH':
    case 'ENETUNREACH': return "the webhook's host cannot be reached";
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return `the webhook's TLS certificate is not trusted (${code})`;
    default:
      if (code?.startsWith('ERR_SSL_') || code === 'EPROTO') return `the TLS handshake with the webhook failed (${code})`;
      return `the request failed${code ? ` (${code})` : ''}`;
  }
}

/** `text` with the URL and every part of it that could identify or open it replaced by `…`. */
export function withoutUrl(text: string, url: URL, written: string): string {
  const parts = new Set([written, written.trim(), url.href, url.host, url.hostname, url.pathname, url.search, url.hash, url.username, url.password]);
  for (const segment of url.pathname.split('/')) parts.add(segment);
  for (const [key, value] of url.searchParams) parts.add(`${key}=${value}`).add(value);
  for (const part of [...parts]) {
    try {
      parts.add(decodeURIComponent(part));
    } catch {
      // Not percent-encoded text: its written form is already in the set.
    }
  }
  // Short parts (`/`, `a`) would cut ordinary words apart, and so would a part found inside a word
  // (a path `/hook` in "webhook"): only whole parts go. No secret or host name is that short.
  const pieces = [...parts].filter((p) => p.length >= 4).sort((a, b) => b.length - a.length);
  if (pieces.length === 0) return text;
  return text.replace(new RegExp(`(?<![A-Za-z0-9])(?:${pieces.map(escapeRegExp).join('|')})(?![A-Za-z0-9])`, 'gi'), '…');
}

/** The error's code, or its cause's (a few levels: a cause can point back at its error). */
function errorCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
