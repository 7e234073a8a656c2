/**
 * The diagnostics debounce follows what the document's edits cost, not what opening it cost: the
 * first keystrokes after opening a large playbook are checked at once when each check is cheap.
 * The checks' cost comes from a clock of the test's own, so nothing here depends on the machine's
 * speed; the test waits for the debouncer's answer to change, never for a fixed time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Debouncer } from '../../server/src/lsp/debounce.js';

/** A debouncer (5 ms shortest delay, 250 ms longest, checks up to 100 ms cheap) whose clock the checks move. */
function debouncerWithClock(): { debouncer: Debouncer; check: (costMs: number) => () => Promise<void> } {
  let clock = 0;
  const debouncer = new Debouncer(5, 250, 100, () => clock);
  return { debouncer, check: (costMs) => async () => void (clock += costMs) };
}

/** Resolves once `condition` holds, looking after each turn of the event loop (the scheduled check's timer included). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 5_000; !condition();) {
    if (Date.now() > deadline) assert.fail(`never: ${what}`);
    await nextTurn();
  }
}

describe('diagnostics debounce', () => {
  test('a costly open leaves the next edit on the shortest delay', async () => {
    const { debouncer, check } = debouncerWithClock();
    let opened = false;
    debouncer.runNow('a', async () => {
      await check(300)();
      opened = true;
    });
    await until(() => opened, 'the open was checked');
    await nextTurn();
    assert.equal(debouncer.delayFor('a'), 5);
  });

  test('a costly edit lengthens the delay of the next one, up to the maximum; a cheap one brings it back', async () => {
    const { debouncer, check } = debouncerWithClock();
    debouncer.schedule('a', check(300));
    await until(() => debouncer.delayFor('a') === 250, 'the costly edit set the longest delay');
    debouncer.schedule('a', check(150));
    await until(() => debouncer.delayFor('a') === 150, 'a check of 150 ms waits its own cost');
    debouncer.schedule('a', check(2));
    await until(() => debouncer.delayFor('a') === 5, 'a cheap edit brought the shortest delay back');
  });

  test('an open forgets what earlier edits of the document cost', async () => {
    const { debouncer, check } = debouncerWithClock();
    debouncer.schedule('a', check(300));
    await until(() => debouncer.delayFor('a') === 250, 'the costly edit set the longest delay');
    debouncer.runNow('a', check(300));
    assert.equal(debouncer.delayFor('a'), 5);
  });
});
