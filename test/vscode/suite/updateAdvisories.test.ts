/**
 * "Playbook: Update Advisories" in the editor: contributed for trusted workspaces only, and run
 * from the palette's command it downloads the workspace's ecosystem (the examples' Maven service)
 * from the policy's mirror — a server this test starts on 127.0.0.1, so nothing leaves the machine.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strToU8, zipSync } from 'fflate';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, readText, workspaceUri, writeText } from './workspace';

interface Manifest {
  contributes: { commands: Array<{ command: string; title: string; category?: string; enablement?: string }>; menus: { commandPalette: Array<{ command: string; when?: string }> } };
}

interface UpdateResult {
  ecosystems: Array<{ ecosystem: string; file: string; outcome: string; problem?: string }>;
  problems: string[];
  cancelled: boolean;
}

suite('Update Advisories', () => {
  test('is contributed as "Playbook: Update Advisories", only where the workspace is trusted', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as Manifest;
    const command = manifest.contributes.commands.find((c) => c.command === 'playbook.updateAdvisories');
    assert.deepEqual(command, { command: 'playbook.updateAdvisories', title: 'Update Advisories', category: 'Playbook', enablement: 'isWorkspaceTrusted' });
    const palette = manifest.contributes.menus.commandPalette.find((c) => c.command === 'playbook.updateAdvisories');
    assert.match(palette?.when ?? '', /\bisWorkspaceTrusted\b/);
    assert.ok((await vscode.commands.getCommands(true)).includes('playbook.updateAdvisories'));
  });

  test('downloads the workspace\'s ecosystems from the policy\'s mirror into .playbooks/advisories/osv', async function () {
    this.timeout(60_000);
    // A well-formed record of a package no example uses: what it adds changes no example's findings.
    const record = { schema_version: '1.6.0', id: 'TEST-2026-0001', modified: '2026-01-01T00:00:00Z', summary: 'A record only this test serves', affected: [{ package: { ecosystem: 'Maven', name: 'org.example:unused' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }] };
    const zip = zipSync({ 'TEST-2026-0001.json': strToU8(JSON.stringify(record)) });
    const asked: string[] = [];
    const server: Server = createServer((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === '/Maven/all.zip') res.writeHead(200, { 'content-length': zip.length, etag: '"v1"' }).end(zip);
      else res.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const policy = workspaceUri('.playbooks/policy.yaml');
    const original = await readText(policy);
    const osv = workspaceUri('.playbooks/advisories/osv');
    try {
      await writeText(policy, `${original}advisories-mirror: http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
      const result = await vscode.commands.executeCommand<UpdateResult | undefined>('playbook.updateAdvisories');
      assert.ok(result, 'the command answered');
      assert.equal(result.cancelled, false);
      assert.deepEqual(result.ecosystems.map((e) => [e.ecosystem, e.file, e.outcome]), [['Maven', '.playbooks/advisories/osv/Maven.zip', 'updated']]);
      assert.deepEqual(asked, ['/Maven/all.zip']);
      // The file is the served zip, byte for byte (a Buffer and a Uint8Array are compared as bytes).
      assert.ok(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(osv, 'Maven.zip'))).equals(zip), 'Maven.zip holds the served bytes');
      const record = JSON.parse(await readText(vscode.Uri.joinPath(osv, 'Maven.zip.fetch.json'))) as { etag?: string };
      assert.equal(record.etag, '"v1"');
    } finally {
      await writeText(policy, original);
      await vscode.workspace.fs.delete(osv, { recursive: true, useTrash: false }).then(undefined, () => undefined);
      server.close();
    }
  });
});
