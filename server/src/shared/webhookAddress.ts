/**
 * Which webhook addresses a run may post to: https, or plain http to this machine (a local relay,
 * the tests). Shared by the language server, which checks before every post, and the editor, which
 * checks a URL as it is typed into its secret storage. A URL is a secret: no word here repeats it.
 */

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
