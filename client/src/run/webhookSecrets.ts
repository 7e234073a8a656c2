/**
 * Webhook URLs kept in the editor's secret storage (the OS keychain), never in the repository: the
 * language server asks for them by the names the policy's `notify` section gives (`webhook-env`)
 * when a run sends a notification (playbook/webhookSecrets), and a stored URL wins over the
 * environment variable of the same name. "Playbook: Store Webhook URL…" and "Playbook: Forget
 * Webhook URL…" manage them. An untrusted workspace gets none.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { webhookUrlProblem } from '../../../server/src/shared/webhookAddress';
import { webhookSecretsRequest } from '../../../server/src/shared/protocol';

/** The policy's rule for a `webhook-env` name (schemas/policy.schema.json, `notify`). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const keyOf = (name: string): string => `playbook.webhook.${name}`;

export function answerWebhookSecrets(client: LanguageClient, secrets: vscode.SecretStorage): vscode.Disposable {
  return client.onRequest(webhookSecretsRequest, async ({ names }) => {
    const out: Record<string, string> = {};
    if (!vscode.workspace.isTrusted || !Array.isArray(names)) return out;
    for (const name of names) {
      if (typeof name !== 'string' || !NAME.test(name)) continue;
      const url = await secrets.get(keyOf(name));
      if (url) out[name] = url;
    }
    return out;
  });
}

export function registerWebhookCommands(secrets: vscode.SecretStorage): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('playbook.storeWebhookUrl', async (givenName?: string, givenUrl?: string) => {
      const name = givenName ?? (await askName('Store Webhook URL'));
      if (!name || !NAME.test(name)) return;
      const url = givenUrl ?? (await vscode.window.showInputBox({
        title: `Store Webhook URL: ${name}`,
        prompt: 'The webhook URL (https; http only to this machine, for a local relay). Kept in the editor\'s secret storage, never in the workspace.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => urlProblem(v.trim()),
      }));
      if (!url || urlProblem(url.trim())) return;
      await secrets.store(keyOf(name), url.trim());
      void vscode.window.showInformationMessage(`Stored the webhook URL for ${name}: incident runs post to it from now on (a notification waiting for it goes at its next try), before the environment variable of that name.`);
    }),
    vscode.commands.registerCommand('playbook.forgetWebhookUrl', async (givenName?: string) => {
      const name = givenName ?? (await askName('Forget Webhook URL'));
      if (!name || !NAME.test(name)) return;
      await secrets.delete(keyOf(name));
      void vscode.window.showInformationMessage(`Forgot the webhook URL for ${name}: runs use the environment variable of that name, if set.`);
    }),
  ];
}

function askName(title: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: 'The name the policy\'s notify section gives the webhook (`webhook-env`), e.g. SECURITY_WEBHOOK_URL',
    placeHolder: 'SECURITY_WEBHOOK_URL',
    ignoreFocusOut: true,
    validateInput: (v) => (NAME.test(v.trim()) ? undefined : 'Letters, digits and _, not starting with a digit'),
  }).then((v) => v?.trim());
}

/** The server's own rule (https, or http to loopback), so a typo is caught while typing; the server checks again before every post. */
function urlProblem(value: string): string | undefined {
  const problem = webhookUrlProblem(value);
  return problem === undefined ? undefined : `This value ${problem}`;
}
