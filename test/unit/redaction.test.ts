/**
 * No secret in any output: a playbook with a secret of every PB104 shape, through every output of
 * the core that echoes playbook text (finding messages, related locations, data and suppression
 * reasons; the dry-run's JSON, text, Markdown and webview; hover; code lens; the outline;
 * completion details),
 * checked against the list of secrets, not a snapshot. And the redaction itself: by value, in every
 * form YAML can write a value, whatever a suppression or the policy says.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { reportHtml } from '../../client/src/dryRun/reportHtml.js';
import { checkPlaybook, type CheckResult } from '../../server/src/core/check.js';
import { renderMarkdown, renderText, simulate, type Scenario } from '../../server/src/core/dryrun/index.js';
import { codeLenses } from '../../server/src/core/features/codeLens.js';
import { completions } from '../../server/src/core/features/completion.js';
import { hover } from '../../server/src/core/features/hover.js';
import { documentSymbols } from '../../server/src/core/features/symbols.js';
import { DEFAULT_POLICY } from '../../server/src/core/policy/policy.js';
import { plainTextSecrets } from '../../server/src/core/rules/PB104.js';
import { REDACTED, redactor, redactorFor } from '../../server/src/core/security/redact.js';
import { SECRET_PATTERNS } from '../../server/src/core/security/secretPatterns.js';
import { assertNoSecret, SECRET_PLAYBOOK, SECRETS } from './helpers/secretPlaybook.js';

const analysis = checkPlaybook(SECRET_PLAYBOOK);

/** Offsets of every key and scalar value in the document, where a hover can be asked for. */
function scalarStarts(check: CheckResult): number[] {
  const out: number[] = [];
  const stack: unknown[] = [check.parsed.yaml?.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isScalar(node) && node.range) out.push(node.range[0], Math.max(node.range[0], node.range[1] - 1));
    else if (isPair(node)) stack.push(node.key, node.value);
    else if (isMap(node) || isSeq(node)) stack.push(...(node.items as Node[]));
  }
  return out.sort((a, b) => a - b);
}

describe('the secret playbook', () => {
  test('holds a secret of every shape PB104 knows, each flagged', () => {
    const kinds = new Set(plainTextSecrets(analysis.parsed).map((s) => s.finding.data?.['kind']));
    for (const pattern of SECRET_PATTERNS) assert.ok(kinds.has(pattern.id), `a ${pattern.id} secret is in the playbook`);
    for (const { secret, kind } of SECRETS) {
      if (!kind) continue;
      const flagged = plainTextSecrets(analysis.parsed).some((s) => s.finding.data?.['kind'] === kind && SECRET_PLAYBOOK.slice(s.finding.range.start, s.finding.range.end).includes(secret));
      assert.ok(flagged, `PB104 flags ${secret} as ${kind}`);
    }
  });
});

describe('no secret in any output', () => {
  test('finding messages, related messages, data and suppression reasons', () => {
    assert.ok(analysis.findings.length > 20 && analysis.suppressed.length >= 2);
    for (const f of [...analysis.findings, ...analysis.suppressed]) {
      const where = `${f.ruleId} at ${f.range.start}`;
      assertNoSecret(f.message, `${where}: message`);
      for (const r of f.related ?? []) assertNoSecret(r.message, `${where}: related`);
      assertNoSecret(JSON.stringify(f.data ?? {}), `${where}: data`);
    }
    for (const f of analysis.suppressed) assertNoSecret(f.suppression.reason, `suppression of ${f.ruleId}`);
  });

  test('the paths a flow finding counts and lists name a step whose id holds a secret, redacted', () => {
    const pb106 = analysis.findings.find((f) => f.ruleId === 'PB106' && f.data?.['missing'] === 'revoke');
    assert.ok(pb106, 'a PB106 finding whose paths pass the step');
    assert.match(pb106.message, /\d+ paths reach the end with the access open \('grant' → 'deploy-token=•••' \(fails\) → \(exit\); /);
    assert.ok(pb106.related!.some((r) => r.message === "on path 1: 'deploy-token=•••' (fails)"), pb106.related!.map((r) => r.message).join('\n'));
    assert.ok((pb106.data?.['paths'] as string[][])[0]!.includes('deploy-token=•••'));
  });

  const SCENARIOS: ReadonlyArray<[string, Partial<Scenario>]> = [
    ['every step succeeds', {}],
    ['the rollback fails and the flow stops', { fail: ['deploy-token=JepkEP9426sgyUof'] }],
    ['the gate is denied', { deny: ['gate'] }],
  ];
  for (const [name, scenario] of SCENARIOS) {
    test(`the dry-run, ${name}: JSON, text, Markdown and the editor's report`, () => {
      const run = simulate(analysis, scenario);
      assert.notEqual(run.outcome, 'invalid', run.refusal?.message);
      assertNoSecret(JSON.stringify(run), 'the dry-run JSON');
      assertNoSecret(renderText(run, { file: 'drill.playbook.yaml' }), 'the dry-run text');
      assertNoSecret(renderMarkdown(run, { file: 'drill.playbook.yaml' }), 'the dry-run Markdown (the saved report)');
      assertNoSecret(reportHtml({ run, file: 'drill.playbook.yaml', nonce: 'n', cspSource: 'c' }), 'the dry-run webview');
    });
  }

  test('a scenario naming a step that is not there: the message lists the ids, redacted', () => {
    const run = simulate(analysis, { fail: ['deploy-token'] });
    assert.equal(run.outcome, 'invalid');
    assert.match(run.refusal!.message, /deploy-token=•••/);
    assertNoSecret(JSON.stringify(run), 'the refusal');
  });

  test('hover over every key and value', () => {
    let shown = 0;
    for (const offset of scalarStarts(analysis)) {
      const result = hover(analysis, offset);
      if (!result) continue;
      shown++;
      assertNoSecret(result.markdown, `hover at ${offset} (${JSON.stringify(SECRET_PLAYBOOK.slice(offset, offset + 20))})`);
    }
    assert.ok(shown > 50, `${shown} hovers`);
  });

  test('code lens titles', () => {
    const titles = codeLenses(analysis).map((l) => l.title);
    assert.ok(titles.includes('not guarded (suppressed: approved with token=•••)'), titles.join(' | '));
    assert.ok(titles.includes('tells security (•••)'), titles.join(' | '));
    for (const title of titles) assertNoSecret(title, `the lens "${title}"`);
  });

  test('the outline (document symbols), which the dry-run\'s step picker shows too', () => {
    const symbols = documentSymbols(analysis);
    const all = symbols.flatMap((g) => [g, ...(g.children ?? [])]);
    assert.ok(all.some((e) => e.detail.startsWith('diagnose PGPASSWORD=••• psql -h db.internal')), all.map((e) => e.detail).join(' | '));
    for (const entry of all) assertNoSecret(`${entry.name} ${entry.detail}`, `the symbol ${entry.name}`);
  });

  test('completion details of step ids', () => {
    const at = SECRET_PLAYBOOK.indexOf('    to: incident-commander');
    const text = `${SECRET_PLAYBOOK.slice(0, at)}    requires: []\n${SECRET_PLAYBOOK.slice(at)}`;
    const items = completions(checkPlaybook(text), text.indexOf('requires: [') + 'requires: ['.length, []);
    assert.ok(items.some((i) => i.label === 'triage'), 'step ids are offered');
    // A step id is offered as written, to be typed: the description after it is what is redacted.
    for (const item of items) assertNoSecret(`${item.detail ?? ''} ${(item.documentation ?? '').replace(`Step \`${item.label}\``, '')}`, `completion ${item.label}`);
  });
});

describe('a suppression or the policy hides the finding, never the redaction', () => {
  test('the suppressed PB104 finding is listed as suppressed, and its secret is still redacted', () => {
    assert.ok(analysis.suppressed.some((f) => f.ruleId === 'PB104'));
    assert.match(simulate(analysis).trace.find((e) => e.step === 'suppressed-secret')!.wouldDo, /--password=•••/);
  });

  test('PB104 turned off: no PB104 finding, every output still redacted', () => {
    const off = checkPlaybook(SECRET_PLAYBOOK, { policy: { ...DEFAULT_POLICY, rules: { PB104: 'off' } } });
    assert.equal(off.findings.filter((f) => f.ruleId === 'PB104').length, 0);
    const run = simulate(off);
    assertNoSecret(JSON.stringify(run), 'the dry-run JSON with PB104 off');
    assertNoSecret(renderMarkdown(run), 'the dry-run Markdown with PB104 off');
    for (const f of off.findings) assertNoSecret(f.message, `${f.ruleId} with PB104 off`);
  });
});

describe('the redaction keeps the command readable', () => {
  const run = simulate(analysis);
  const wouldDo = (step: string): string => run.trace.find((e) => e.step === step)!.wouldDo;

  test('the secret value, and only it, becomes •••', () => {
    assert.equal(REDACTED, '•••');
    assert.equal(wouldDo('triage'), 'would diagnose by running `PGPASSWORD=••• psql -h db.internal -c "select 1"`');
    assert.equal(wouldDo('orders-db'), 'would diagnose by running `psql postgres://app:•••@db.internal:5432/orders`');
    assert.equal(wouldDo('refund'), 'would run `STRIPE=••• ./refund.sh`');
    assert.equal(wouldDo('health'), 'would diagnose by running `curl -H "Authorization: Bearer •••" https://api.internal/health`');
    assert.equal(wouldDo('deploy-token=•••'), 'would roll back api from 1.2.0 to token=•••');
  });

  test('a secret written with YAML escapes is redacted as the report shows it, decoded', () =>
    assert.equal(wouldDo('escaped'), 'would diagnose by running `PGPASSWORD=••• psql; password=•••`'));

  test('a secret a one-line summary would cut in two is redacted before the cut', () => {
    // Cut first, the line would end in the secret's first characters and `…`, which no pattern sees as a secret.
    assert.equal(wouldDo('cut-short'), 'would diagnose by running `kubectl -n payments get pods --selector app=checkout --password=•••`');
  });

  test('a private key in a block scalar, shown on one line', () =>
    assert.match(wouldDo('install-key'), /^would run `cat > \/tmp\/k <<'EOF' ••• EOF`$/));

  test('a secret written twice is redacted at both places, by value', () => {
    const message = run.trace.find((e) => e.step === 'tell-security')!.notification!.message!;
    assert.equal(message, 'rotate ••• and the webhook ••• now');
    assert.equal(run.trace.find((e) => e.step === 'tell-security')!.notification!.target, '•••');
  });

  test('by value: the secret of a key (`db_password: &pw …`) wherever its value shows, such as an alias use', () => {
    const redact = redactorFor(analysis.parsed);
    assert.equal(redact('mysql -p vKXsPW3233KqRSza; echo vKXsPW3233KqRSza'), `mysql -p ${REDACTED}; echo ${REDACTED}`);
    // The alias use reads as its anchor's value, and its range holds only `*pw`: only the value can find it.
    assert.equal(wouldDo('through-alias'), 'would diagnose by running `•••`');
  });

  test('by value, in every form the text can take: decoded escapes, single quotes, folded lines', () => {
    const text = `playbook: p
steps:
  - id: a
    action: diagnose
    run: "DB_PASSWORD=Zq\\x38wLm4Vr7Ty2Kc ./x"
  - id: b
    action: diagnose
    run: ./probe
    password: 'it''sQ8wLm4Vr7Ty2Kc'
  - id: c
    action: run
    command: |
      cat <<EOF
      -----BEGIN PRIVATE KEY-----
      MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj
      MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu
      -----END PRIVATE KEY-----
      EOF
`;
    const redact = redactorFor(checkPlaybook(text).parsed);
    assert.equal(redact('DB_PASSWORD=Zq8wLm4Vr7Ty2Kc'), `DB_PASSWORD=${REDACTED}`);
    assert.equal(redact("it'sQ8wLm4Vr7Ty2Kc"), REDACTED);
    const key = '-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu -----END PRIVATE KEY-----';
    assert.equal(redact(`cat <<EOF ${key} EOF`), `cat <<EOF ${REDACTED} EOF`);
    assert.equal(redact(`cat <<EOF\n${key.replace(/ /g, '\n')}\nEOF`).includes('MIIEvQ'), false);
  });

  test('text with no secret is left as it is', () => {
    const clean = checkPlaybook('playbook: p\nsteps:\n  - {id: a, action: diagnose, run: kubectl get pods}\n');
    assert.equal(redactorFor(clean.parsed)('kubectl get pods; the token is rotated daily'), 'kubectl get pods; the token is rotated daily');
  });
});

describe('the redaction on hostile input', () => {
  test('thousands of secrets sharing a prefix, over a long text, in one pass (time-out only as a hang guard)', { timeout: 30_000 }, () => {
    const token = (i: number): string => `ghp_${i.toString(36).padStart(8, '0')}${'Qx7Lm2Vr9Tk4Wz6Pn3Hb8Jc5'.slice(i % 7)}`;
    const values = Array.from({ length: 20_000 }, (_, i) => token(i));
    const redact = redactor(values);
    const text = Array.from({ length: 20_000 }, (_, i) => `run ${token(i * 7 % 20_000)} and ghp_${'y'.repeat(40)};`).join(' ');
    const out = redact(text);
    assert.equal(out.split(REDACTED).length - 1, 20_000, 'each use of a listed value, and nothing else');
    for (const value of values.slice(0, 50)) assert.ok(!out.includes(value));
  });
});
