/**
 * The language server checks rollbacks through the target release's SBOM (spec section 8): the
 * finding points at the component's line in the SBOM, a keystroke reads no SBOM again, and a
 * changed SBOM or a new VEX statement (spec section 9) changes the finding once the file watcher
 * says so.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, CompletionRequest, FileChangeType, HoverRequest, type CodeAction, type Diagnostic, type Hover } from 'vscode-languageserver-protocol';
import { recordVexDecisionRequest, type VexDecisionSubject } from '../../server/src/shared/protocol.js';
import { startSession, type Session } from './harness.js';
import { guardedRollback } from '../unit/helpers/guardedRollback.js';
import { SBOM_ADVISORIES, SBOM_DIR, sbomBrokenAtEnd } from '../unit/helpers/sbomFixtures.js';

const SBOM = readFileSync(path.join(SBOM_DIR, 'dropwizard-1.3.15.cdx.json'), 'utf8');
const OPENVEX = readFileSync(path.join(SBOM_DIR, 'vex/dropwizard-1.3.15.openvex.json'), 'utf8');
const ADVISORIES = SBOM_ADVISORIES;

const PLAYBOOK = guardedRollback({ id: 'api-outage', services: '  api:\n    current: 1.3.29\n    sbom: sboms/{version}.cdx.json\n    releases: [1.3.15, 1.3.29]', service: 'api', to: '1.3.15' });

const sessions: Session[] = [];
after(() => sessions.forEach((s) => s.dispose()));

/** The hover's Markdown over `current: 1.3.29` in `text`, the document's text. */
async function currentReleaseHover(s: Session, uri: string, text: string): Promise<string> {
  const at = text.indexOf('current: 1.3.29') + 'current: 1.3'.length;
  const line = text.slice(0, at).split('\n').length - 1;
  const position = { line, character: at - text.lastIndexOf('\n', at - 1) - 1 };
  const hover: Hover | null = await s.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
}

/** `work` while the document is edited every 60 ms (its title toggled), closer together than the pause background SBOM reads wait for. */
async function whileTyping<T>(s: Session, uri: string, text: string, work: () => Promise<T>): Promise<T> {
  let typing = true;
  let edits = 0;
  const typist = (async () => {
    while (typing) {
      await s.change(uri, text.replace('title: api-outage', `title: api-outage${++edits % 2 ? ' (edited)' : ''}`));
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
  })();
  try {
    return await work();
  } finally {
    typing = false;
    await typist;
  }
}

/** PB101 diagnostics, their messages as the plain text the server sends. */
const pb101 = (diagnostics: Diagnostic[]): Array<Diagnostic & { message: string }> => diagnostics.filter((d): d is Diagnostic & { message: string } => d.code === 'PB101' && typeof d.message === 'string');

describe('language server: releases through their SBOMs', () => {
  test('PB101 on the rollback, related to the component at its line in the SBOM; an edit elsewhere keeps it; a changed SBOM and a new VEX statement change it', async () => {
    const s = await startSession({ files: { ...ADVISORIES, 'api.playbook.yaml': PLAYBOOK, 'sboms/1.3.15.cdx.json': SBOM } });
    sessions.push(s);
    const uri = await s.open('api.playbook.yaml');
    const first = pb101(await s.diagnostics(uri, (d) => pb101(d).length === 1));
    assert.match(first[0]!.message, /whose SBOM lists h2 1\.4\.197, which GHSA-45hx-wfhj-473x .*; and 4 more advisories on 5 components$/);
    const h2 = first[0]!.relatedInformation!.find((r) => r.message.startsWith('h2 1.4.197'))!;
    assert.equal(h2.location.uri, s.uri('sboms/1.3.15.cdx.json'));
    assert.deepEqual(h2.location.range.start, { line: 9520, character: 4 });

    // The SBOM changes on disk without a watcher event: a keystroke must not read it again.
    s.writeFile('sboms/1.3.15.cdx.json', SBOM.replace('"purl": "pkg:maven/com.h2database/h2@1.4.197?type=jar"', '"purl": "pkg:maven/com.h2database/h2@2.1.210?type=jar"'));
    const version = await s.change(uri, PLAYBOOK.replace('title: api-outage', 'title: api-outage (edited)'));
    const afterEdit = pb101(await s.diagnostics(uri, () => true, version));
    assert.match(afterEdit[0]!.message, /h2 1\.4\.197/, 'the cached SBOM, not the file changed behind the watcher');

    // The watcher reports it: the new SBOM is read, h2 is fixed there.
    await s.filesChanged([{ uri: s.uri('sboms/1.3.15.cdx.json'), type: FileChangeType.Changed }]);
    const afterChange = pb101(await s.diagnostics(uri, (d) => pb101(d).length === 1 && !/h2 1\.4\.197/.test(pb101(d)[0]!.message)));
    assert.match(afterChange[0]!.message, /and 3 more advisories on 4 components$/);

    // Security records a decision: the logback advisory goes.
    s.writeFile('.playbooks/vex/dropwizard.openvex.json', OPENVEX);
    await s.filesChanged([{ uri: s.uri('.playbooks/vex/dropwizard.openvex.json'), type: FileChangeType.Created }]);
    const afterVex = pb101(await s.diagnostics(uri, (d) => pb101(d).length === 1 && /and 2 more advisories on 3 components$/.test(pb101(d)[0]!.message)));
    assert.ok(!afterVex[0]!.relatedInformation!.some((r) => r.message.includes('GHSA-668q-qrv7-99fm')));
  });

  test('"Record security\'s decision (VEX)…" on the finding: a statement in .playbooks/vex/decisions.openvex.json, and the advisory is gone from the finding once it is saved', async () => {
    const s = await startSession({ files: { ...ADVISORIES, 'api.playbook.yaml': PLAYBOOK, 'sboms/1.3.15.cdx.json': SBOM } });
    sessions.push(s);
    const uri = await s.open('api.playbook.yaml');
    const [finding] = pb101(await s.diagnostics(uri, (d) => pb101(d).length === 1));
    const actions = (await s.client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: finding!.range, context: { diagnostics: [finding!] } })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Record security\'s decision on GHSA-45hx-wfhj-473x on h2 1.4.197 (VEX)…'), titles.join('\n'));
    const record = actions.find((a) => a.title.startsWith('Record security\'s decision on GHSA-45hx-wfhj-473x'))!;
    assert.equal(record.command?.command, 'playbook.recordVexDecision');
    const subject = record.command.arguments![0] as VexDecisionSubject;
    assert.deepEqual({ ...subject, uri: undefined }, { uri: undefined, vulnerability: 'GHSA-45hx-wfhj-473x', aliases: ['CVE-2022-23221'], product: 'pkg:maven/io.dropwizard/dropwizard-parent@1.3.15', subcomponent: 'pkg:maven/com.h2database/h2@1.4.197?type=jar', componentName: 'h2 1.4.197' });

    const result = await s.client.sendRequest(recordVexDecisionRequest, { ...subject, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', author: 'Dana <dana@acme.example>' });
    assert.deepEqual(result, { file: path.join(s.root, '.playbooks/vex/decisions.openvex.json') });
    const written = JSON.parse(readFileSync(path.join(s.root, '.playbooks/vex/decisions.openvex.json'), 'utf8'));
    assert.deepEqual([written.author, written.statements.length, written.statements[0].status], ['Dana <dana@acme.example>', 1, 'not_affected']);
    const after = pb101(await s.diagnostics(uri, (d) => pb101(d).length === 1 && /and 3 more advisories on 4 components$/.test(pb101(d)[0]!.message)));
    assert.match(after[0]!.message, /whose SBOM lists snakeyaml 1\.23, which GHSA-3mc7-4q67-w48m/);

    // A decision OpenVEX does not allow is refused, and nothing is written.
    const refused = await s.client.sendRequest(recordVexDecisionRequest, { ...subject, status: 'not_affected', author: 'Dana' });
    assert.ok('problem' in refused && /needs a justification or an impact statement/.test(refused.problem), JSON.stringify(refused));
    assert.equal(JSON.parse(readFileSync(path.join(s.root, '.playbooks/vex/decisions.openvex.json'), 'utf8')).statements.length, 1);
  });

  test('the SBOMs of releases no step targets are read after the first diagnostics, and then the playbook is checked again without an edit', async () => {
    const s = await startSession({ files: { ...ADVISORIES, 'api.playbook.yaml': PLAYBOOK, 'sboms/1.3.15.cdx.json': SBOM } });
    sessions.push(s);
    const uri = await s.open('api.playbook.yaml');
    // 1.3.29's SBOM (named by the template, targeted by no step) does not exist: once it has been looked for, PB110 says so.
    const after = await s.diagnostics(uri, (d) => d.some((x) => x.code === 'PB110' && typeof x.message === 'string' && x.message.includes('1.3.29')));
    assert.ok(after.some((x) => x.code === 'PB101'));
    const text = await currentReleaseHover(s, uri, PLAYBOOK);
    assert.match(text, /\*\*`api` 1\.3\.29\*\*/);
    assert.doesNotMatch(text, /still being read/);
  });

  for (const where of ['named by the service', 'found in the policy\'s folder'] as const) {
    test(`a hover on a release whose SBOM (${where}) waits for a pause in typing reads it at once, while the user types on`, async () => {
      const as1329 = SBOM.replace('"name": "dropwizard-parent",\n      "version": "1.3.15",', '"name": "dropwizard-parent",\n      "version": "1.3.29",');
      assert.notEqual(as1329, SBOM, 'the fixture changed: its root component is no longer where this test looks');
      const playbook = where === 'named by the service' ? PLAYBOOK : PLAYBOOK.replace('    sbom: sboms/{version}.cdx.json\n', '    package: pkg:maven/io.dropwizard/dropwizard-parent\n');
      const sboms: Record<string, string> = where === 'named by the service'
        ? { 'sboms/1.3.15.cdx.json': SBOM, 'sboms/1.3.29.cdx.json': as1329 }
        : { '.playbooks/policy.yaml': 'policy: 1\n', '.playbooks/sboms/dropwizard-1.3.15.cdx.json': SBOM, '.playbooks/sboms/dropwizard-1.3.29.cdx.json': as1329 };
      const s = await startSession({ files: { ...ADVISORIES, 'api.playbook.yaml': playbook, ...sboms } });
      sessions.push(s);
      const uri = await s.open('api.playbook.yaml');
      await s.diagnostics(uri, (d) => pb101(d).length === 1);
      // Keystrokes closer together than the pause the background reads wait for: 1.3.29's SBOM is not read meanwhile.
      const text = await whileTyping(s, uri, playbook, () => currentReleaseHover(s, uri, playbook));
      assert.match(text, /\*\*`api` 1\.3\.29\*\*/);
      assert.doesNotMatch(text, /still being read/);
      assert.match(text, /h2 1\.4\.197/, text);
    });
  }

  test('a version completion at the rollback\'s `to:` while the user types reads the SBOMs still waiting for a pause at once: each release is offered with what stands against it', async () => {
    const as1329 = SBOM.replace('"name": "dropwizard-parent",\n      "version": "1.3.15",', '"name": "dropwizard-parent",\n      "version": "1.3.29",');
    const s = await startSession({ files: { ...ADVISORIES, 'api.playbook.yaml': PLAYBOOK, 'sboms/1.3.15.cdx.json': SBOM, 'sboms/1.3.29.cdx.json': as1329 } });
    sessions.push(s);
    const uri = await s.open('api.playbook.yaml');
    await s.diagnostics(uri, (d) => pb101(d).length === 1);
    const at = PLAYBOOK.indexOf('to: 1.3.15') + 'to: '.length;
    const position = { line: PLAYBOOK.slice(0, at).split('\n').length - 1, character: at - PLAYBOOK.lastIndexOf('\n', at - 1) - 1 };
    const answer = await whileTyping(s, uri, PLAYBOOK, () => s.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }));
    const items = Array.isArray(answer) ? answer : (answer?.items ?? []);
    const offered = Object.fromEntries(items.map((i) => [i.label, `${i.detail} | ${typeof i.documentation === 'object' ? i.documentation.value : ''}`]));
    assert.deepEqual(Object.keys(offered).sort(), ['1.3.15', '1.3.29']);
    for (const version of ['1.3.15', '1.3.29']) {
      assert.doesNotMatch(offered[version]!, /not checked|still being read/, `${version}: ${offered[version]}`);
      assert.match(offered[version]!, /standing advisor.*h2 1\.4\.197/s, `${version}: ${offered[version]}`);
    }
  });

  test('SBOMs found in the policy\'s folder: the rollback target\'s is read whole for the first diagnostics, the others by their heads, and a problem further down one of those reaches the policy once the rest is read', async () => {
    const s = await startSession({
      files: {
        ...ADVISORIES,
        '.playbooks/policy.yaml': 'policy: 1\n',
        '.playbooks/sboms/dropwizard-1.3.15.cdx.json': SBOM,
        '.playbooks/sboms/dropwizard-1.3.29.cdx.json': sbomBrokenAtEnd('1.3.29'),
        'api.playbook.yaml': PLAYBOOK.replace('    sbom: sboms/{version}.cdx.json\n', '    package: pkg:maven/io.dropwizard/dropwizard-parent\n'),
      },
    });
    sessions.push(s);
    const uri = await s.open('api.playbook.yaml');
    const first = pb101(await s.diagnostics(uri, (d) => pb101(d).length === 1));
    const h2 = first[0]!.relatedInformation!.find((r) => r.message.startsWith('h2 1.4.197'))!;
    assert.equal(h2.location.uri, s.uri('.playbooks/sboms/dropwizard-1.3.15.cdx.json'));
    assert.deepEqual(h2.location.range.start, { line: 9520, character: 4 });
    const policy = s.uri('.playbooks/policy.yaml');
    await s.until(() => s.shown(policy).some((d) => d.code === 'PB110' && typeof d.message === 'string' && /dropwizard-1\.3\.29\.cdx\.json.*invalid JSON at line \d+/.test(d.message)), 'PB110 on the policy for the SBOM broken at its end');
  });

  test('the status says what the checks use (policy, SBOMs, VEX), and the log says it in one line', async () => {
    const s = await startSession({
      files: {
        ...ADVISORIES,
        '.playbooks/policy.yaml': 'policy: 1\n',
        '.playbooks/sboms/dropwizard-1.3.15.cdx.json': SBOM,
        '.playbooks/sboms/broken.cdx.json': '{ not json',
        '.playbooks/vex/dropwizard.openvex.json': OPENVEX,
        'api.playbook.yaml': PLAYBOOK.replace('    sbom: sboms/{version}.cdx.json\n', '    package: pkg:maven/io.dropwizard/dropwizard-parent\n'),
      },
    });
    sessions.push(s);
    const uri = await s.open('api.playbook.yaml');
    await s.diagnostics(uri, (d) => d.length > 0);
    type Status = { policies?: { files: string[]; defaults: number }; sboms?: { files: number; unreadable: number; folders: string[] }; vex?: { documents: number; statements: number; folders: string[] } };
    const latest = (): Status | undefined => [...s.notifications].reverse().find((n) => n.method === 'playbook/advisoryStatus')?.params as Status | undefined;
    await s.until(() => latest()?.sboms?.files === 2, 'the status counts the SBOMs found');
    const status = latest()!;
    assert.deepEqual(status.policies, { files: ['.playbooks/policy.yaml'], defaults: 0 });
    assert.deepEqual(status.sboms, { files: 2, unreadable: 1, folders: ['.playbooks/sboms'] });
    assert.equal(status.vex?.documents, 1);
    assert.ok((status.vex?.statements ?? 0) >= 1);
    assert.deepEqual(status.vex?.folders, ['.playbooks/vex']);
    const logged = s.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    assert.ok(logged.some((m) => /^Checking with policy: \.playbooks\/policy\.yaml; advisories: \d+ records? from \d+ sources?.*; SBOMs: 2 files \(1 unreadable\); VEX: 1 document, \d+ statements?$/.test(m)), JSON.stringify(logged));
  });

  test('an unsaved playbook (untitled:) is checked as if it were in the first workspace folder: its advisories, its policy and the SBOMs named from there', async () => {
    const s = await startSession({ files: { ...ADVISORIES, 'sboms/1.3.15.cdx.json': SBOM } });
    sessions.push(s);
    const uri = await s.open('', PLAYBOOK, 'incident-playbook', 'untitled:Untitled-1');
    const [finding] = pb101(await s.diagnostics(uri, (d) => pb101(d).length === 1));
    assert.match(finding!.message, /whose SBOM lists h2 1\.4\.197, which GHSA-45hx-wfhj-473x/);
    assert.equal(finding!.relatedInformation!.find((r) => r.message.startsWith('h2 1.4.197'))!.location.uri, s.uri('sboms/1.3.15.cdx.json'));
  });
});
