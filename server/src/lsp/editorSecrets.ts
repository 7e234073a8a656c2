/**
 * The webhook URLs the editor keeps in its secret storage, asked for by name when a run delivers a
 * notification (playbook/webhookSecrets). The wait is bounded and nothing is trusted: a client that
 * does not know the request, does not answer in time, or answers anything but text for a name asked
 * has no URL for it, and the environment is used. A URL is never logged.
 */
import type { Connection } from 'vscode-languageserver';
import { webhookSecretsRequest } from '../shared/protocol.js';
import { waitAtMost } from './waitAtMost.js';

const ANSWER_WITHIN_MS = 5_000;

export async function editorSecrets(connection: Pick<Connection, 'sendRequest'>, names: string[], log: (message: string) => void, withinMs = ANSWER_WITHIN_MS): Promise<ReadonlyMap<string, string>> {
  try {
    const answered = await waitAtMost(connection.sendRequest(webhookSecretsRequest, { names }), withinMs);
    if (!answered) throw new Error(`no answer within ${withinMs / 1000} s`);
    const answer: unknown = answered.value;
    const stored = new Map<string, string>();
    for (const name of names) {
      const value = typeof answer === 'object' && answer !== null && Object.hasOwn(answer, name) ? (answer as Record<string, unknown>)[name] : undefined;
      if (typeof value === 'string' && value.trim()) stored.set(name, value.trim());
    }
    return stored;
  } catch (error) {
    log(`the editor's secret storage could not be asked for ${names.join(', ')} (${error instanceof Error ? error.message.split('\n')[0] : 'no answer'}); the environment is used`);
    return new Map();
  }
}
