/**
 * A run's queue of notifications, against a real receiver on 127.0.0.1: a receiver that is down
 * keeps its notification queued until it comes back (then `retryQueued` delivers it), the person
 * can give up on one, a notification whose URL is not set yet waits for it, a URL that may not be
 * posted to fails for good, and every text is redacted
 * with the playbook's redaction before it leaves.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parsePlaybook, redactor, redactorFor } from '../../server/src/core/index.js';
import { DeliveryQueue } from '../../server/src/node/webhookQueue.js';
import { assertNoSecret, SECRET_PLAYBOOK } from './helpers/secretPlaybook.js';
import { freePort, startReceiver, type Receiver } from './helpers/webhookReceiver.js';

const FAST = { timeoutMs: 1_000, backoffMs: [10, 20] };
/** An address that always has this URL. */
const at = (url: string) => () => Promise.resolve({ url });
/** No secrets known: only the shapes PB104 finds in any text. */
const SHAPES_ONLY = redactor([]);

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function receiverOn(port?: number): Promise<Receiver> {
  const receiver = await startReceiver(port);
  open.push(receiver);
  return receiver;
}

function queue(options: Partial<ConstructorParameters<typeof DeliveryQueue>[0]> = {}): DeliveryQueue {
  const made = new DeliveryQueue({ ...FAST, redact: SHAPES_ONLY, ...options });
  open.push(made);
  return made;
}

describe('DeliveryQueue', () => {
  test('a notification delivered at once is not queued', async () => {
    const receiver = await receiverOn();
    const q = queue();
    assert.deepEqual(await q.send(1, at(`${receiver.origin}/hook`), 'rolled back'), { status: 'delivered', attempts: 1, httpStatus: 200 });
    assert.deepEqual(q.pending(), []);
    assert.deepEqual(await q.retryQueued(), []);
    assert.equal(receiver.received.length, 1);
  });

  test('a receiver that is down: queued after its retries, then delivered by retryQueued once it is back', async () => {
    const port = await freePort();
    const q = queue();
    const first = await q.send(7, at(`http://127.0.0.1:${port}/hook`), 'access granted to @alice');
    assert.deepEqual(first, { status: 'queued', attempts: 3, error: 'the connection was refused (is the receiver down?)' });
    assert.deepEqual(q.pending(), [{ id: 7, delivery: first }]);

    // Still down: one more attempt, which says the same, so nothing changed but the count.
    assert.deepEqual(await q.retryQueued(), []);
    assert.deepEqual(q.pending(), [{ id: 7, delivery: { ...first, attempts: 4 } }]);

    const receiver = await receiverOn(port);
    assert.deepEqual(await q.retryQueued(), [{ id: 7, delivery: { status: 'delivered', attempts: 5, httpStatus: 200 } }]);
    assert.deepEqual(q.pending(), []);
    assert.deepEqual(receiver.received.map((r) => r.body), ['{"text":"access granted to @alice"}']);
    assert.deepEqual(await q.retryQueued(), []);
  });

  test('retryQueued tries the oldest first, reports a failure in new words, and is shared while it runs', async () => {
    const receiver = await receiverOn();
    receiver.afterwards({ status: 500 });
    const q = queue();
    await q.send(3, at(`${receiver.origin}/three`), 'three');
    await q.send(2, at(`${receiver.origin}/two`), 'two');
    assert.deepEqual(q.pending().map((p) => p.id), [2, 3]);
    receiver.received.length = 0;
    receiver.afterwards({ status: 502 });
    const [a, b] = [q.retryQueued(), q.retryQueued()];
    assert.equal(a, b);
    assert.deepEqual(await a, [
      { id: 2, delivery: { status: 'queued', attempts: 4, httpStatus: 502, error: 'the webhook answered HTTP 502 (Bad Gateway)' } },
      { id: 3, delivery: { status: 'queued', attempts: 4, httpStatus: 502, error: 'the webhook answered HTTP 502 (Bad Gateway)' } },
    ]);
    assert.deepEqual(receiver.received.map((r) => r.url), ['/two', '/three']);
  });

  test('giving up: the notification leaves the queue as given-up, with its attempts and last error, and is never sent again', async () => {
    const port = await freePort();
    const q = queue();
    await q.send(4, at(`http://127.0.0.1:${port}/hook`), 'rolled back');
    assert.deepEqual(q.giveUp(4), { status: 'given-up', attempts: 3, error: 'the connection was refused (is the receiver down?)' });
    assert.equal(q.giveUp(4), undefined, 'once');
    assert.equal(q.giveUp(99), undefined, 'an id never queued');
    assert.deepEqual(q.pending(), []);
    const receiver = await receiverOn(port);
    assert.deepEqual(await q.retryQueued(), []);
    assert.equal(receiver.received.length, 0);
  });

  test('giving up on a notification whose retry is in flight stops that retry; it is not reported', async () => {
    const receiver = await receiverOn();
    receiver.afterwards({ status: 500 });
    const q = queue({ timeoutMs: 5_000 });
    await q.send(5, at(`${receiver.origin}/hook`), 'hi');
    receiver.afterwards('silent');
    const retry = q.retryQueued();
    const sent = receiver.received.length;
    while (receiver.received.length === sent) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(q.giveUp(5)?.status, 'given-up');
    assert.deepEqual(await retry, []);
  });

  test('a webhook URL not set yet: queued with the reason, nothing attempted, and sent at the first retry after it is set', async () => {
    const receiver = await receiverOn();
    let url: string | undefined = undefined;
    let asked = 0;
    const address = () => {
      asked++;
      return Promise.resolve(url === undefined ? { missing: '`SEC_WEBHOOK_URL` is not set' } : { url });
    };
    const q = queue();
    const first = await q.send(3, address, 'rolled back');
    assert.deepEqual(first, { status: 'queued', attempts: 0, error: '`SEC_WEBHOOK_URL` is not set' });
    assert.deepEqual(await q.retryQueued(), [], 'still not set: nothing changed');
    assert.deepEqual(q.pending(), [{ id: 3, delivery: first }]);
    url = `${receiver.origin}/hook`;
    assert.deepEqual(await q.retryQueued(), [{ id: 3, delivery: { status: 'delivered', attempts: 1, httpStatus: 200 } }]);
    assert.equal(asked, 3, 'the address is asked at each try');
    assert.deepEqual(receiver.received.map((r) => r.body), ['{"text":"rolled back"}']);
  });

  test('a timed-out notification is queued, saying so', async () => {
    const receiver = await receiverOn();
    receiver.afterwards('silent');
    const q = queue({ timeoutMs: 150, backoffMs: [] });
    assert.deepEqual(await q.send(1, at(`${receiver.origin}/hook`), 'hi'), { status: 'queued', attempts: 1, error: 'time-out: no answer within 0.15 s (the time allowed for one attempt)' });
  });

  test('a URL that may not be posted to fails for good: nothing is sent, nothing queued', async () => {
    const q = queue();
    const delivery = await q.send(1, at('http://hooks.example.com/services/T0SECRET'), 'hi');
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.attempts, 0);
    assert.ok(!delivery.error?.includes('T0SECRET'));
    assert.deepEqual(q.pending(), []);
  });

  test('the same id queued twice is a mistake of the caller, said without the URL', async () => {
    const port = await freePort();
    const q = queue({ backoffMs: [] });
    await q.send(1, at(`http://127.0.0.1:${port}/services/T0SECRET`), 'hi');
    await assert.rejects(q.send(1, at(`http://127.0.0.1:${port}/services/T0SECRET`), 'hi'), (error: Error) => error.message === 'notification 1 is already queued');
  });
});

describe('every text is redacted before it is sent', () => {
  test("the secret playbook's notify messages reach the receiver with no secret in them", async () => {
    const receiver = await receiverOn();
    const parsed = parsePlaybook(SECRET_PLAYBOOK);
    const q = queue({ redact: redactorFor(parsed) });
    const steps = (parse(SECRET_PLAYBOOK) as { steps: Array<{ action: string; message?: string }> }).steps;
    const messages = steps.filter((s) => s.action === 'notify' && s.message).map((s) => s.message!);
    assert.ok(messages.length > 0);
    // Each notify step's message, and one a run composes from the playbook's own words (a command's secret quoted back).
    const texts = [...messages, `Ran: PGPASSWORD=MyUsBP2485ySTrfa psql -h db.internal; then ${messages[0]!}`];
    for (const [i, text] of texts.entries()) assert.equal((await q.send(i, at(`${receiver.origin}/hook`), text)).status, 'delivered');
    assert.equal(receiver.received.length, texts.length);
    for (const { body } of receiver.received) {
      assertNoSecret(body, 'the posted body');
      assert.match(body, /•••/);
    }
  });

  test('a secret of a shape PB104 knows is redacted even when the playbook does not hold it', async () => {
    const receiver = await receiverOn();
    const q = queue();
    const token = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
    await q.send(1, at(`${receiver.origin}/hook`), `leaked ${token} in the logs`);
    assert.deepEqual(JSON.parse(receiver.received[0]!.body), { text: 'leaked ••• in the logs' });
  });
});
