/**
 * One notification posted to a real HTTP receiver on 127.0.0.1 (no internet): the payload,
 * retries with backoff, the time-out of an attempt, a receiver that is down, a redirect that is not
 * followed, and a URL refused before any request. And the secret: the URL, or any part of it,
 * never shows in a delivery, a thrown error or a log line, whatever failed.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Agent, buildConnector } from 'undici';
import { deliver } from '../../server/src/node/webhook.js';
import { startProxy } from '../cli/osvMirror.js';
import { freePort, startReceiver, type Receiver } from './helpers/webhookReceiver.js';

const FAST = { timeoutMs: 2_000, backoffMs: [20, 40, 80] };

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('deliver', () => {
  test('posts exactly {"text": …} as JSON, once, to the path and query of the URL', async () => {
    const text = 'Checkout rolled back to 2.3.1 — "quotes", ünïcode and a\nnew line';
    const delivery = await deliver(`${receiver.origin}/services/T0/B0/abc?thread=1`, text, FAST);
    assert.deepEqual(delivery, { status: 'delivered', attempts: 1, httpStatus: 200 });
    assert.equal(receiver.received.length, 1);
    const [request] = receiver.received;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.url, '/services/T0/B0/abc?thread=1');
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.body, JSON.stringify({ text }));
    assert.deepEqual(JSON.parse(request!.body), { text });
  });

  test('any 2xx is delivered; 204 with no body too', async () => {
    receiver.answer({ status: 204 });
    assert.deepEqual(await deliver(`${receiver.origin}/hook`, 'hi', FAST), { status: 'delivered', attempts: 1, httpStatus: 204 });
  });

  test('a 500 is retried after the backoff, and the second attempt delivers', async () => {
    receiver.answer({ status: 500, body: 'oops' });
    const started = performance.now();
    const delivery = await deliver(`${receiver.origin}/hook`, 'hi', { timeoutMs: 2_000, backoffMs: [150, 1_000] });
    assert.deepEqual(delivery, { status: 'delivered', attempts: 2, httpStatus: 200 });
    assert.ok(performance.now() - started >= 140, 'waited the first backoff');
    assert.deepEqual(receiver.received.map((r) => r.body), ['{"text":"hi"}', '{"text":"hi"}']);
  });

  test('anything but 2xx is retried until the retries run out: one attempt more than waits', async () => {
    receiver.afterwards({ status: 404, body: 'no_service' });
    const delivery = await deliver(`${receiver.origin}/hook`, 'hi', FAST);
    assert.deepEqual(delivery, { status: 'failed', attempts: 4, httpStatus: 404, error: 'the webhook answered HTTP 404 (Not Found): `no_service`' });
    assert.equal(receiver.received.length, 4);
    // A body that is not a short code is not repeated.
    receiver.afterwards({ status: 400, body: '<html>Bad things happened at https://internal.example/</html>' });
    assert.deepEqual(await deliver(`${receiver.origin}/hook`, 'hi', { ...FAST, backoffMs: [] }), { status: 'failed', attempts: 1, httpStatus: 400, error: 'the webhook answered HTTP 400 (Bad Request)' });
  });

  test('a receiver that never answers: each attempt ends at its time-out, and the error says so', async () => {
    receiver.afterwards('silent');
    const started = performance.now();
    const delivery = await deliver(`${receiver.origin}/hook`, 'hi', { timeoutMs: 300, backoffMs: [] });
    const took = performance.now() - started;
    assert.deepEqual(delivery, { status: 'failed', attempts: 1, error: 'time-out: no answer within 0.3 s (the time allowed for one attempt)' });
    assert.ok(took >= 280 && took < 3_000, `took ${took} ms`);
    assert.equal(receiver.received.length, 1, 'the request was sent');
    const twice = await deliver(`${receiver.origin}/hook`, 'hi', { timeoutMs: 200, backoffMs: [10] });
    assert.deepEqual([twice.status, twice.attempts], ['failed', 2]);
  });

  test('a receiver that is down: connection refused, retried, then failed', async () => {
    const port = await freePort();
    const delivery = await deliver(`http://127.0.0.1:${port}/hook`, 'hi', FAST);
    assert.deepEqual(delivery, { status: 'failed', attempts: 4, error: 'the connection was refused (is the receiver down?)' });
  });

  test('a redirect is not followed: the webhook that sends elsewhere fails, and says so', async () => {
    const elsewhere = await startReceiver();
    try {
      receiver.afterwards({ status: 302, headers: { location: `${elsewhere.origin}/collect` } });
      const delivery = await deliver(`${receiver.origin}/hook`, 'hi', { ...FAST, backoffMs: [10] });
      assert.deepEqual(delivery, { status: 'failed', attempts: 2, httpStatus: 302, error: 'the webhook answered HTTP 302 (Found), a redirect: a notification goes only where its URL says, so it is not followed' });
      assert.equal(elsewhere.received.length, 0);
      assert.deepEqual(receiver.received.map((r) => r.url), ['/hook', '/hook']);
      receiver.afterwards({ status: 308, headers: { location: '/moved' } });
      assert.equal((await deliver(`${receiver.origin}/hook`, 'hi', { ...FAST, backoffMs: [] })).httpStatus, 308);
      assert.equal(receiver.received.filter((r) => r.url === '/moved').length, 0);
    } finally {
      await elsewhere.close();
    }
  });

  test('http to a host that is not loopback is refused before any connection is made', async () => {
    const connections: string[] = [];
    const connect = buildConnector({});
    const dispatcher = new Agent({
      connect: (options, callback) => {
        connections.push(options.hostname);
        connect(options, callback);
      },
    });
    try {
      const refused = await deliver('http://192.0.2.10/hook', 'hi', { ...FAST, dispatcher });
      assert.deepEqual(refused, { status: 'failed', attempts: 0, error: 'the webhook URL holds a plain http URL to a host that is not this machine: a webhook must be https (http only to a loopback address: 127.0.0.0/8, ::1, localhost)' });
      assert.deepEqual(connections, []);
      // The same dispatcher does connect for a URL that may be posted to: the count above is real.
      assert.equal((await deliver(`${receiver.origin}/hook`, 'hi', { ...FAST, dispatcher })).status, 'delivered');
      assert.deepEqual(connections, ['127.0.0.1']);
    } finally {
      await dispatcher.close();
    }
  });

  test('a delivery cancelled by its signal stops waiting at once', async () => {
    receiver.afterwards({ status: 503 });
    const controller = new AbortController();
    const pending = deliver(`${receiver.origin}/hook`, 'hi', { timeoutMs: 2_000, backoffMs: [10_000], signal: controller.signal });
    while (receiver.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    controller.abort();
    const delivery = await pending;
    assert.ok(performance.now() - started < 1_000);
    // Cancelled while waiting for the retry, or just before the 503 was read: either way, one attempt, cancelled.
    assert.deepEqual([delivery.status, delivery.attempts, delivery.error], ['failed', 1, 'cancelled']);
  });
});

describe('proxies from the environment', () => {
  const VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];

  /** Runs `run` with exactly `set` of the proxy variables, then puts back what was there. */
  async function withProxyEnv<T>(set: Record<string, string>, run: () => Promise<T>): Promise<T> {
    const before = VARIABLES.map((name) => [name, process.env[name]] as const);
    for (const name of VARIABLES) delete process.env[name];
    Object.assign(process.env, set);
    try {
      return await run();
    } finally {
      for (const [name, value] of before) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }

  test('a webhook elsewhere goes through HTTPS_PROXY; a proxy that refuses is said so, without the host', async () => {
    const proxy = await startProxy({});
    try {
      const delivery = await withProxyEnv({ HTTPS_PROXY: proxy.url }, () => deliver('https://hooks.test/services/T0SECRET/B0SECRET/t0ken', 'hi', { ...FAST, backoffMs: [] }));
      assert.deepEqual(proxy.seen, ['hooks.test:443']);
      assert.deepEqual(delivery, { status: 'failed', attempts: 1, error: 'the proxy (HTTPS_PROXY or HTTP_PROXY) refused the connection: HTTP 502' });
    } finally {
      await proxy.close();
    }
  });

  test('a proxy variable that is not a URL fails the delivery in words, without repeating it, and nothing is sent', async () => {
    const delivery = await withProxyEnv({ HTTPS_PROXY: 'proxy user:pa55w0rd' }, () => deliver('https://hooks.test/services/T0SECRET', 'hi', FAST));
    assert.deepEqual(delivery, { status: 'failed', attempts: 0, error: 'the proxy setting (HTTPS_PROXY or HTTP_PROXY) is not a URL' });
  });

  test('a loopback webhook is this machine: reached directly, never through the proxy', async () => {
    const proxy = await startProxy({});
    try {
      const delivery = await withProxyEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }, () => deliver(`${receiver.origin}/hook`, 'hi', FAST));
      assert.deepEqual(delivery, { status: 'delivered', attempts: 1, httpStatus: 200 });
      assert.deepEqual(proxy.seen, []);
      assert.equal(receiver.received.length, 1);
    } finally {
      await proxy.close();
    }
  });
});

describe('the webhook URL is never shown', () => {
  const PIECES = ['T0SECRET', 'B0SECRET', 't0kenS3cr3tValue', 'qu3ryS3cr3t', 'h00kHost'];

  /** Everything written to stdout, stderr, the console or as a process warning while `run` runs (still written, too). */
  async function logged<T>(run: () => Promise<T>): Promise<{ result: T; lines: string }> {
    const lines: string[] = [];
    const tee = (stream: NodeJS.WriteStream): (() => void) => {
      const write = stream.write;
      stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
        lines.push(String(chunk));
        return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      };
      return () => void (stream.write = write);
    };
    const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
    const consoleBefore = methods.map((m) => console[m]);
    const onWarning = (warning: Error): void => void lines.push(warning.message);
    const restore = [tee(process.stdout), tee(process.stderr)];
    for (const m of methods) console[m] = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    process.on('warning', onWarning);
    try {
      return { result: await run(), lines: lines.join('\n') };
    } finally {
      for (const undo of restore) undo();
      methods.forEach((m, i) => (console[m] = consoleBefore[i]!));
      process.off('warning', onWarning);
    }
  }

  function assertHidden(text: string, where: string): void {
    for (const piece of PIECES) assert.ok(!text.toLowerCase().includes(piece.toLowerCase()), `${where} shows ${piece}: ${text}`);
  }

  test('failures whose natural error names the URL, its host or its token', async () => {
    const path = '/services/T0SECRET/B0SECRET/t0kenS3cr3tValue?token=qu3ryS3cr3t';
    const down = await freePort();
    // Each a real failure: an answer that echoes the URL, a redirect to it, TLS to a plain HTTP server,
    // a host that cannot be resolved (named after the token), a refused connection, a silent receiver.
    receiver.answer(
      { status: 500, body: `${receiver.origin}${path}` },
      { status: 302, headers: { location: `${receiver.origin}${path}&more=1` } },
      'silent',
    );
    const cases: Array<[string, string]> = [
      ['an answer echoing the URL', `${receiver.origin}${path}`],
      ['a redirect to the URL', `${receiver.origin}${path}`],
      ['a silent receiver', `${receiver.origin}${path}`],
      ['TLS to plain HTTP', `https://127.0.0.1:${receiver.port}${path}`],
      ['an unresolvable host', `https://h00kHost-t0kenS3cr3tValue.invalid${path}`],
      ['a refused connection', `http://user:t0kenS3cr3tValue@127.0.0.1:${down}${path}`],
      ['a URL that may not be posted to', `http://h00kHost.example${path}`],
    ];
    for (const [what, url] of cases) {
      const { result, lines } = await logged(() => deliver(url, 'hi', { timeoutMs: 1_500, backoffMs: [] }));
      assert.equal(result.status, 'failed', what);
      assert.ok(result.error, what);
      assertHidden(JSON.stringify(result), `${what}: the delivery`);
      assertHidden(lines, `${what}: the log`);
    }
  });
});
