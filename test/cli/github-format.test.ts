/**
 * `playbook check --format github`: one GitHub Actions workflow command per finding (error,
 * warning, notice), escaped as the runner reads them, then the text format's summary line; the
 * same exit codes and the same redaction as every other format.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { escapeData, escapeProperty } from '../../server/src/cli/output/github.js';
import { plainText } from '../../server/src/core/util/plainText.js';
import { playbook } from '../unit/helpers/findings.js';
import { assertNoSecret, SECRET_PLAYBOOK } from '../unit/helpers/secretPlaybook.js';
import { cli, workspace } from './helpers.js';
import { withSuppressionAndError, withUnreachableStep } from './playbooks.js';

const ROOT = path.join(__dirname, '../..');

interface Annotation {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** What the Actions runner reads from a line: the command, its properties and its message, unescaped. */
function parseAnnotation(line: string): Annotation {
  const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  assert.ok(match, `a workflow command: ${JSON.stringify(line)}`);
  const unescape = (text: string): string => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties = Object.fromEntries(match[2]!.split(',').map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), unescape(pair.slice(at + 1))];
  }));
  return { command: match[1]!, properties, message: unescape(match[3]!) };
}

function annotations(stdout: string): { lines: Annotation[]; summary: string } {
  const lines = stdout.split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  const summary = lines.pop()!;
  return { lines: lines.map(parseAnnotation), summary };
}

describe('playbook check --format github', () => {
  test('the examples: one annotation per finding, at the JSON format\'s place, with the text format\'s summary line and exit code', async () => {
    const github = await cli(['check', 'examples', '--format', 'github'], ROOT);
    const json = JSON.parse((await cli(['check', 'examples', '--format', 'json'], ROOT)).stdout);
    const text = await cli(['check', 'examples'], ROOT);
    assert.equal(github.code, 1);
    assert.equal(github.code, text.code);
    const { lines, summary } = annotations(github.stdout);
    assert.equal(summary, text.stdout.trimEnd().split('\n').at(-1));
    const expected = json.files.flatMap((file: any) => file.findings.map((f: any) => ({
      command: { error: 'error', warning: 'warning', info: 'notice' }[f.severity as string],
      file: file.path,
      at: [f.startLine, f.endLine, f.startColumn, f.endColumn].join(' '),
      title: f.ruleId,
      message: plainText(f.message),
    })));
    assert.equal(expected.length, 19);
    assert.deepEqual(lines.map((a) => ({
      command: a.command,
      file: a.properties['file'],
      at: [a.properties['line'], a.properties['endLine'], a.properties['col'], a.properties['endColumn']].join(' '),
      title: a.properties['title']!.split(' ')[0],
      message: a.message.split('\n')[0],
    })), expected);
    assert.ok(lines.some((a) => a.properties['title'] === 'PB101 vulnerable-release'));
    assert.deepEqual(new Set(lines.map((a) => a.command)), new Set(['error', 'warning']));
  });

  test('a hostile file name and a message with newlines, a carriage return, colons, commas and percent signs: escaped, and read back exactly', async () => {
    const name = 'we,ird:50%\nname.playbook.yaml';
    const text = playbook(`  - id: triage
    action: diagnose
    run: x
    next: "50%: done,\\r\\nnot%0A::warning::forged"
`);
    const dir = workspace({ [`ops/${name}`]: text });
    const r = await cli(['check', '--format', 'github'], dir);
    assert.equal(r.code, 1);
    const [pb004] = r.stdout.split('\n');
    assert.equal(pb004, '::error file=ops/we%2Cird%3A50%25%0Aname.playbook.yaml,line=18,endLine=18,col=11,endColumn=50,title=PB004 unknown-step-reference::'
      + "step 'triage': 'next' names `50%25: done,%0D%0Anot%250A::warning::forged`, which is not a step in this playbook; it must be a step id");
    const { lines } = annotations(r.stdout);
    const json = JSON.parse((await cli(['check', '--format', 'json'], dir)).stdout);
    assert.equal(lines[0]!.properties['file'], `ops/${name}`);
    // The message as JSON has it, its code spans quoted (an annotation is plain text); a span across lines is left as it is.
    assert.equal(lines[0]!.message, plainText(json.files[0].findings[0].message));
    assert.match(lines[0]!.message, /names `50%: done,\r\nnot%0A::warning::forged`/);
    // Nothing but the annotations and the summary: the forged command stays inside the message.
    assert.equal(r.stdout.split('\n').filter((line) => line.startsWith('::')).length, json.files[0].findings.length);
  });

  test('info is a notice, on the policy file too', async () => {
    const rollback = '  - id: roll-back\n    action: rollback\n    service: api\n    to: 1.1.0\n';
    const dir = workspace({ 'a.playbook.yaml': playbook(rollback), '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories]\n' });
    const { lines } = annotations((await cli(['check', '--format', 'github'], dir)).stdout);
    const notices = lines.filter((a) => a.properties['title'] === 'PB110 advisory-data');
    assert.deepEqual(notices.map((a) => [a.command, a.properties['file']]), [['notice', 'a.playbook.yaml'], ['notice', '.playbooks/policy.yaml']]);
  });

  test('escaping: `%` first, then CR and LF; properties also `:` and `,`', () => {
    assert.equal(escapeData('100% done:\r\nok, %0A'), '100%25 done:%0D%0Aok, %250A');
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  });

  test('paths relative to the working folder, with forward slashes', async () => {
    const dir = workspace({ 'teams/payments/p.playbook.yaml': withUnreachableStep });
    const r = await cli(['check', 'teams', '--format', 'github'], dir);
    assert.equal(r.code, 0, 'warnings alone exit 0, as for text');
    assert.equal(annotations(r.stdout).lines[0]!.properties['file'], 'teams/payments/p.playbook.yaml');
    assert.equal(annotations(r.stdout).lines[0]!.command, 'warning');
  });

  test('exit codes as for text: 0 clean (the summary alone), 1 errors, 1 over --max-warnings, 2 an unreadable input', async () => {
    const dir = workspace({ 'clean.playbook.yaml': playbook(''), 'warn.playbook.yaml': withUnreachableStep, 'bad.playbook.yaml': withSuppressionAndError });
    const clean = await cli(['check', 'clean.playbook.yaml', '--format', 'github'], dir);
    assert.deepEqual([clean.code, clean.stdout], [0, 'no problems in 1 playbook\n']);
    for (const argv of [['bad.playbook.yaml'], ['warn.playbook.yaml', '--max-warnings', '0'], ['clean.playbook.yaml', 'missing.playbook.yaml']]) {
      const github = await cli(['check', ...argv, '--format', 'github'], dir);
      const text = await cli(['check', ...argv], dir);
      assert.equal(github.code, text.code, argv.join(' '));
      assert.equal(github.stderr, text.stderr, argv.join(' '));
    }
  });

  test('--quiet: errors only; --show-suppressed: suppressed findings as notices with the reason; -o: the same lines in a file', async () => {
    const dir = workspace({ 'x.playbook.yaml': withSuppressionAndError, 'w.playbook.yaml': withUnreachableStep });
    const quiet = annotations((await cli(['check', '--format', 'github', '--quiet'], dir)).stdout).lines;
    assert.deepEqual([...new Set(quiet.map((a) => a.command))], ['error']);
    const shown = annotations((await cli(['check', '--format', 'github', '--show-suppressed'], dir)).stdout).lines;
    const suppressed = shown.find((a) => a.properties['title']!.startsWith('PB108'))!;
    assert.equal(suppressed.command, 'notice');
    assert.match(suppressed.message, /\(suppressed: hotfix build, published after this playbook was written\)$/);
    const printed = await cli(['check', '--format', 'github'], dir);
    assert.doesNotMatch(printed.stdout, /PB108/, 'not without --show-suppressed');
    const written = await cli(['check', '--format', 'github', '-o', 'annotations.txt'], dir);
    assert.equal(written.stdout, '');
    assert.equal(readFileSync(path.join(dir, 'annotations.txt'), 'utf8'), printed.stdout);
  });

  test('no secret shows', async () => {
    const r = await cli(['check', 'drill.playbook.yaml', '--format', 'github', '--show-suppressed'], workspace({ 'drill.playbook.yaml': SECRET_PLAYBOOK }));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /title=PB104 plain-text-secret::/);
    assertNoSecret(r.stdout + r.stderr, 'check --format github');
  });
});
