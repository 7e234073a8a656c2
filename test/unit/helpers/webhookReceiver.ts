/**
 * A webhook receiver on 127.0.0.1 for delivery tests: a real node:http server on a port of its own,
 * answering each POST as the test scripts it (a status, a redirect, or no answer at all) and
 * keeping every request it saw, with its body.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Answer =
  | { status: number; body?: string; headers?: Record<string, string> }
  /** Never answers: the connection stays open, silent. */
  | 'silent';

interface Received {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  received: Received[];
  /** The answers to the next requests, in order; after them, each request gets `afterwards` (200 `ok` unless set). */
  answer(...answers: Answer[]): void;
  /** Not `then`: a receiver with a `then` method would be taken for a promise. */
  afterwards(answer: Answer): void;
  close(): Promise<void>;
}

/** Starts a receiver on `port` (0: any free one). */
export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const script: Answer[] = [];
  let fallback: Answer = { status: 200, body: 'ok' };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = script.shift() ?? fallback;
      if (answer === 'silent') return;
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${bound}`,
    port: bound,
    received,
    answer: (...answers) => void script.push(...answers),
    afterwards: (answer) => void (fallback = answer),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A port nothing listens on (it was free a moment ago), for a receiver that is down. */
export async function freePort(): Promise<number> {
  const receiver = await startReceiver();
  await receiver.close();
  return receiver.port;
}
