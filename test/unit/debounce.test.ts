/**
 * The diagnostics debounce follows what the document's edits cost, not what opening it cost: the
 * first keystrokes after opening a large playbook are checked at once when each check is cheap.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Debouncer } from '../../server/src/lsp/debounce.js';

/** A check that takes at least `ms` (a costly check, as far as the debouncer can tell). */
const slowCheck = (ms: number) => () => sleep(ms);

async function settle(debouncer: Debouncer, key: string, run: () => Promise<void>, how: 'open' | 'edit'): Promise<void> {
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const wrapped = async (): Promise<void> => {
    await run();
    done();
  };
  if (how === 'open') debouncer.runNow(key, wrapped);
  else debouncer.schedule(key, wrapped);
  await finished;
  await sleep(0); // the debouncer records the cost once the run has settled
}

describe('diagnostics debounce', () => {
  test('a costly open leaves the next edit on the shortest delay', async () => {
    const debouncer = new Debouncer(5, 250, 100);
    await settle(debouncer, 'a', slowCheck(300), 'open');
    assert.equal(debouncer.delayFor('a'), 5);
  });

  test('a costly edit lengthens the delay of the next one, up to the maximum', async () => {
    const debouncer = new Debouncer(5, 250, 100);
    await settle(debouncer, 'a', slowCheck(300), 'edit');
    // The check took about 300 ms (a timer may fire a little early): over the cheap bound of 100, so the maximum.
    assert.equal(debouncer.delayFor('a'), 250);
    await settle(debouncer, 'a', slowCheck(0), 'edit');
    assert.equal(debouncer.delayFor('a'), 5, 'a cheap edit (far under 100 ms, even on a busy machine) brings it back');
  });

  test('an open forgets what earlier edits of the document cost', async () => {
    const debouncer = new Debouncer(5, 250, 100);
    await settle(debouncer, 'a', slowCheck(300), 'edit');
    await settle(debouncer, 'a', slowCheck(300), 'open');
    assert.equal(debouncer.delayFor('a'), 5);
  });
});
