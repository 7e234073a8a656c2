/**
 * "Check Workspace" over enough closed playbooks for the check workers: each closed file is
 * published with exactly the CLI's findings, an open document is counted from the editor's text,
 * and cancelling stops the run early with the counts so far.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { URI } from 'vscode-uri';
import { MIN_FILES_PER_WORKER } from '../../server/src/node/checkPool.js';
import { checkWorkspaceRequest } from '../../server/src/shared/protocol.js';
import { startSession } from '../protocol/harness.js';
import { playbook } from '../unit/helpers/findings.js';
import { cli } from './helpers.js';

const clean = playbook(`  - id: triage
    action: diagnose
    run: kubectl get pods
`);
const withError = clean.replace('action: diagnose', 'action: diagnos');
const FILES = MIN_FILES_PER_WORKER * 2 + 10;
const name = (i: number): string => `pb/p${String(i).padStart(4, '0')}.playbook.yaml`;
const corpus = (): Record<string, string> => Object.fromEntries(Array.from({ length: FILES }, (_, i) => [name(i), i % 2 ? withError : clean]));

const COUNTER = { error: 'errors', warning: 'warnings', info: 'infos' } as const;

interface JsonReport {
  files: Array<{ path: string; findings: Array<{ ruleId: string; severity: 'error' | 'warning' | 'info' }> }>;
}

describe('Check Workspace on the check workers', () => {
  test('closed files are published as the CLI reports them; the open one is counted from the editor', async () => {
    const s = await startSession({ files: corpus() });
    try {
      // On disk p0001 has an error; in the editor it is fixed and not saved.
      const openUri = await s.open(name(1), clean);
      await s.diagnostics(openUri);
      const result = await s.client.sendRequest(checkWorkspaceRequest);

      const report = JSON.parse((await cli(['check', '--jobs', '1', '--format', 'json'], s.root)).stdout) as JsonReport;
      const findingsOf = (path: string) => report.files.find((f) => f.path === path)!.findings;
      const expected = { files: FILES, errors: 0, warnings: 0, infos: 0, unreadable: [] as Array<{ path: string; reason: string }> };
      for (let i = 0; i < FILES; i++) {
        for (const f of findingsOf(name(i === 1 ? 0 : i))) expected[COUNTER[f.severity]]++;
      }
      assert.ok(expected.errors >= FILES / 2 - 1, `the corpus has errors: ${JSON.stringify(expected)}`);
      assert.deepEqual(result, expected);

      for (let i = 0; i < FILES; i++) {
        const uri = URI.file(`${s.root}/${name(i)}`).toString();
        const last = [...s.published].reverse().find((p) => p.uri === uri);
        const want = findingsOf(name(i === 1 ? 0 : i)).map((f) => f.ruleId);
        assert.deepEqual(last?.diagnostics.map((d) => d.code), want, name(i));
      }
      assert.equal(s.published.filter((p) => p.uri === openUri && p.version === undefined).length, 0, 'the open document is never published from disk');

      const log = s.notifications.map((n) => (n.params as { message?: string }).message ?? '').find((m) => m.startsWith('Check Workspace:'));
      // 209 closed files: two workers' worth (one per core, at most one per MIN_FILES_PER_WORKER files).
      const threads = availableParallelism() >= 2 ? 'on 2 worker threads' : 'in the server thread';
      assert.equal(log, `Check Workspace: ${FILES} playbooks, ${FILES - 1} closed, checked ${threads}`);
    } finally {
      s.dispose();
    }
  });

  test('cancelling stops the run: the request answers with the files checked so far', async () => {
    const s = await startSession({ files: corpus() });
    try {
      let token: string | number | undefined;
      s.client.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
        token = p.token;
        return null;
      });
      let cancelled = false;
      s.client.onNotification('$/progress', (p: { token: string | number; value: { kind: string } }) => {
        if (p.value.kind !== 'report' || cancelled || p.token !== token) return;
        cancelled = true;
        void s.client.sendNotification('window/workDoneProgress/cancel', { token });
      });
      const result = await s.client.sendRequest(checkWorkspaceRequest);
      assert.ok(cancelled, 'progress was reported');
      assert.ok(result.files >= 1 && result.files < FILES, `stopped early: ${result.files} of ${FILES}`);
    } finally {
      s.dispose();
    }
  });
});
