/**
 * The webhook URLs asked of the editor's secret storage: whatever the client does (never answers,
 * fails, answers nonsense), the run gets only the names' text values, and no URL reaches the log.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver';
import { editorSecrets } from '../../server/src/lsp/editorSecrets.js';

const URL = 'https://hooks.example.test/T000/B000/s3cr3t';

/** A client whose answer to the secrets request is `answer` (a promise that never settles: no answer). */
function client(answer: () => Promise<unknown>): { connection: Pick<Connection, 'sendRequest'>; asked: unknown[] } {
  const asked: unknown[] = [];
  const connection = { sendRequest: (_type: unknown, params: unknown) => (asked.push(params), answer()) } as unknown as Pick<Connection, 'sendRequest'>;
  return { connection, asked };
}

async function ask(answer: () => Promise<unknown>, names: string[], withinMs?: number): Promise<{ stored: ReadonlyMap<string, string>; logged: string[]; asked: unknown[] }> {
  const logged: string[] = [];
  const { connection, asked } = client(answer);
  const stored = await editorSecrets(connection, names, (m) => logged.push(m), withinMs);
  return { stored, logged, asked };
}

describe('webhook URLs from the editor\'s secret storage', () => {
  test('the names asked for, each a trimmed text value; anything else is not a URL', async () => {
    const { stored, logged, asked } = await ask(async () => ({ A: ` ${URL} `, B: 42, C: '   ', E: URL, toString: URL }), ['A', 'B', 'C', 'D', 'toString']);
    assert.deepEqual(asked, [{ names: ['A', 'B', 'C', 'D', 'toString'] }]);
    assert.deepEqual([...stored], [['A', URL], ['toString', URL]]);
    assert.deepEqual(logged, []);
  });

  test('an answer that is no map of names: none', async () => {
    for (const answer of [null, 'x', [URL], 7]) {
      const { stored } = await ask(async () => answer, ['A']);
      assert.equal(stored.size, 0, JSON.stringify(answer));
    }
  });

  test('a client that never answers: none once the wait is over, the log says so and names no URL', async () => {
    const { stored, logged } = await ask(() => new Promise(() => undefined), ['SECURITY_WEBHOOK_URL'], 30);
    assert.equal(stored.size, 0);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /secret storage could not be asked for SECURITY_WEBHOOK_URL \(no answer within 0\.03 s\); the environment is used/);
  });

  test('a client that fails the request: none, and only the first line of its error is logged', async () => {
    const { stored, logged } = await ask(async () => {
      throw new Error(`Unhandled method playbook/webhookSecrets\n${URL}`);
    }, ['A', 'B']);
    assert.equal(stored.size, 0);
    assert.deepEqual(logged, ["the editor's secret storage could not be asked for A, B (Unhandled method playbook/webhookSecrets); the environment is used"]);
    assert.ok(!logged.join('\n').includes(URL));
  });
});
