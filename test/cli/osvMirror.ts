/**
 * A stand-in for OSV's bucket on 127.0.0.1, for `advisories --update` tests: `/<Ecosystem>/all.zip`
 * answered as each test sets it — a zip with validators (and 304 to a matching conditional
 * request), an error status, a body cut short, one too big, one that never comes or stalls, a
 * redirect. It records every request. Also a tiny HTTP proxy (CONNECT and absolute-form) that
 * resolves host names of its own, so a test can tell the proxy was used.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { declaredZip } from '../unit/helpers/zips.js';

type Route =
  /** 200 with ETag and Last-Modified; 304 when If-None-Match names the ETag. */
  | { kind: 'zip'; body: Uint8Array; lastModified?: string }
  | { kind: 'status'; status: number }
  /** Content-Length says the whole body, half of it is sent, then the connection is cut. */
  | { kind: 'cut'; body: Uint8Array }
  /** Chunked, ending cleanly after half the body: nothing in HTTP says it is short. */
  | { kind: 'half-chunked'; body: Uint8Array }
  /** `bytes` zeros; declared in Content-Length or not. */
  | { kind: 'big'; bytes: number; declare: boolean }
  /** No answer at all. */
  | { kind: 'silent' }
  /** Headers and half the body, then nothing more. */
  | { kind: 'stall'; body: Uint8Array }
  | { kind: 'redirect'; location: string; status?: number };

interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface OsvMirror {
  /** Base URL, e.g. http://127.0.0.1:1234 (with `prefix` when given). */
  url: string;
  port: number;
  requests: SeenRequest[];
  /** Sets what `/<prefix>/<Ecosystem>/all.zip` answers (`path` for any other path). */
  route(ecosystem: string, route: Route): void;
  routePath(urlPath: string, route: Route): void;
  /** Resolves once `count` requests have arrived (counted since `requests` was last emptied). */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

const FIXTURES = path.join(__dirname, '../fixtures/osv');

/** A zip of real OSV records from test/fixtures/osv, in the layout of OSV's all.zip. */
export function fixtureZip(ids: readonly string[]): Uint8Array {
  return declaredZip(Object.fromEntries(ids.map((id) => [`${id}.json`, readFileSync(path.join(FIXTURES, `${id}.json`), 'utf8')])));
}

/** lodash (GHSA-35jh-r3h4-6jhm: 4.17.20 affected, 4.17.21 fixed) and qs. */
export const NPM_IDS = ['GHSA-35jh-r3h4-6jhm', 'GHSA-jf85-cpcp-j695', 'GHSA-hrpp-h998-j3pp'] as const;
export const PYPI_IDS = ['GHSA-8q59-q68h-6hv4', 'GHSA-9wx4-h78v-vm56'] as const;

export async function startMirror(prefix = ''): Promise<OsvMirror> {
  const routes = new Map<string, Route>();
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    for (const w of waiting.splice(0)) {
      if (requests.length >= w.count) w.resolve();
      else waiting.push(w);
    }
    const route = routes.get(decodeURIComponent((req.url ?? '').split('?')[0]!));
    if (!route) {
      res.writeHead(404).end('not here');
      return;
    }
    answer(route, req.headers, res);
  });
  const { port, close } = await listenOnLoopback(server, sockets);
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    port,
    requests,
    route: (ecosystem, route) => routes.set(`${prefix}/${ecosystem}/all.zip`, route),
    routePath: (urlPath, route) => routes.set(urlPath, route),
    received: (count) => (requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }))),
    close,
  };
}

function answer(route: Route, headers: IncomingHttpHeaders, res: ServerResponse): void {
  switch (route.kind) {
    case 'zip': {
      const etag = `"${createHash('sha256').update(route.body).digest('hex').slice(0, 16)}"`;
      const lastModified = route.lastModified ?? 'Mon, 10 Jun 2024 08:00:00 GMT';
      if (headers['if-none-match'] === etag) {
        res.writeHead(304, { etag, 'last-modified': lastModified }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': route.body.length, etag, 'last-modified': lastModified }).end(route.body);
      return;
    }
    case 'status':
      res.writeHead(route.status, { 'content-type': 'text/plain' }).end('something went wrong\r\nX-Forged: yes');
      return;
    case 'cut':
      res.writeHead(200, { 'content-length': route.body.length });
      res.write(route.body.subarray(0, route.body.length >> 1), () => res.socket?.destroy());
      return;
    case 'half-chunked':
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(route.body.subarray(0, route.body.length >> 1));
      return;
    case 'big': {
      res.writeHead(200, route.declare ? { 'content-length': route.bytes } : {});
      const chunk = Buffer.alloc(64 * 1024);
      let left = route.bytes;
      const pump = (): void => {
        while (left > 0) {
          const piece = chunk.subarray(0, Math.min(chunk.length, left));
          left -= piece.length;
          if (!res.write(piece)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
      return;
    }
    case 'silent':
      return;
    case 'stall':
      res.writeHead(200, { 'content-length': route.body.length });
      res.write(route.body.subarray(0, route.body.length >> 1));
      return;
    case 'redirect':
      res.writeHead(route.status ?? 302, { location: route.location }).end();
      return;
  }
}

export interface TestProxy {
  /** `http://127.0.0.1:<port>` for HTTP_PROXY. */
  url: string;
  /** Every `host:port` it was asked to reach. */
  seen: string[];
  close(): Promise<void>;
}

/** A forward proxy that reaches the names in `hosts` (name → 127.0.0.1 port) and nothing else. */
export async function startProxy(hosts: Record<string, number>): Promise<TestProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    // Absolute-form: GET http://host:port/path
    const target = new URL(req.url ?? '');
    seen.push(target.host);
    const port = hosts[target.hostname];
    if (port === undefined) {
      res.writeHead(502).end();
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      sockets.add(upstream);
      upstream.write(`${req.method} ${target.pathname}${target.search} HTTP/1.1\r\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\r\n')}\r\nconnection: close\r\n\r\n`);
      req.pipe(upstream);
      upstream.pipe(res.socket!);
    });
    upstream.on('error', () => res.destroy());
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const [hostname, portText] = (req.url ?? '').split(':');
    seen.push(req.url ?? '');
    const port = hosts[hostname ?? ''] ?? (hostname === '127.0.0.1' ? Number(portText) : undefined);
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      sockets.add(upstream);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const end = (): void => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end);
    client.on('error', end);
  });
  const { port, close } = await listenOnLoopback(server, sockets);
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close,
  };
}

/**
 * Starts `server` on a free port of 127.0.0.1, keeping its connections in `sockets` (a caller may add
 * its own, such as a proxy's upstreams); `close` ends them all, then the server.
 */
async function listenOnLoopback(server: Server, sockets: Set<Socket>): Promise<{ port: number; close(): Promise<void> }> {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
