/**
 * No secret in a run report. Events are redacted when they are written, but the report does not
 * rely on it: here a record holds every PB104 shape unredacted, in every text an event carries
 * (messages, notes, reasons, step ids, people, channels, releases, advisories, delivery errors, the
 * verifier's problem), and neither the JSON nor the Markdown may show any of it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { runReport } from '../../server/src/core/run/report.js';
import { renderRunMarkdown } from '../../server/src/core/run/reportMarkdown.js';
import type { RecordVerification } from '../../server/src/core/run/reportTypes.js';
import { redactorFor } from '../../server/src/core/security/redact.js';
import { RunRecord } from './helpers/runRecord.js';
import { assertNoSecret, SECRET_PLAYBOOK, SECRETS } from './helpers/secretPlaybook.js';

/** Every field of every step of the secret playbook, as someone might paste it into a note: "run: PGPASSWORD=… psql …". */
function pastedTexts(): string[] {
  const doc = parse(SECRET_PLAYBOOK) as { title: string; channels: Record<string, string>; steps: Array<Record<string, unknown>> };
  return [
    `title: ${doc.title}`,
    `security: ${doc.channels['security']}`,
    ...doc.steps.flatMap((step) => Object.entries(step).map(([key, value]) => `${key}: ${String(value)}`)),
  ];
}

/** A run whose every text is one of `texts`, in turn. */
function recordHolding(texts: readonly string[]): RunRecord {
  let i = 0;
  const next = () => texts[i++ % texts.length]!;
  const record = new RunRecord().add(next(), { type: 'run-started', playbook: { id: next(), title: next(), file: next(), sha256: next() }, tool: { name: 'playbook', version: next() }, mode: 'answers' }, 0);
  for (let n = 1; i < texts.length * 2; n++) {
    const step = next();
    record
      .add(next(), { type: 'step-started', step, index: n })
      .add(next(), { type: 'approval', step, approver: next(), decision: 'granted', note: next() })
      .add(next(), { type: 'notification', id: n, step, channel: 'security', target: next(), message: next(), auto: false, delivery: { status: 'queued', attempts: 4, error: next() } })
      .add(next(), { type: 'delivery', notification: n, delivery: { status: 'failed', attempts: 1, error: next() } })
      .add(next(), {
        type: 'release-check', step, service: next(), version: next(),
        standing: [{ id: next(), aliases: [next()], severity: next(), component: { name: next(), version: next(), purl: next() } }],
        decided: [{ id: next(), aliases: [], severity: null, decidedBy: { file: next(), status: next(), justification: next() } }],
        acknowledged: true,
      })
      .add(next(), { type: 'step-done', step, note: next() })
      .add(next(), { type: 'step-failed', step, note: next() })
      .add(next(), { type: 'deviation', step: next(), kind: 'skipped', reason: next() });
  }
  return record.add(next(), { type: 'run-ended', outcome: 'abandoned', path: [next(), next()], undelivered: [1] });
}

const BROKEN: RecordVerification = { ok: false, problem: `line 3: ${pastedTexts()[2]!}` };

describe('run report: no secret shows', () => {
  const texts = pastedTexts();
  const record = recordHolding(texts);

  test('the record really holds the secrets the report must hide', () => {
    assert.throws(() => assertNoSecret(record.lines.join('\n'), 'the record'));
  });

  test('PB104\'s shapes, wherever an event holds them: JSON and Markdown show none', () => {
    // One secret is written bare in the playbook (a YAML anchor's value, `vKXs…`): no shape tells it from a word, and only the playbook's redaction knows it.
    const bare = SECRETS.find((s) => s.secret.startsWith('vKXs'))!.secret;
    const withoutBare = texts.map((t) => t.replace(bare, 'the-anchored-value'));
    const report = runReport(recordHolding(withoutBare).events, BROKEN);
    assertNoSecret(JSON.stringify(report), 'the JSON report');
    assertNoSecret(renderRunMarkdown(report), 'the Markdown report');
  });

  test('given the playbook\'s own redaction, even its bare secrets are hidden', () => {
    const report = runReport(record.events, BROKEN, { redact: redactorFor(parsePlaybook(SECRET_PLAYBOOK)) });
    assertNoSecret(JSON.stringify(report), 'the JSON report');
    assertNoSecret(renderRunMarkdown(report), 'the Markdown report');
  });

  test('a redaction that hides nothing does not switch PB104\'s shapes off', () => {
    const report = runReport(record.events, BROKEN, { redact: (text) => text });
    const json = JSON.stringify(report);
    assert.ok(!json.includes('ghp_6OG0fLzIe36ygvsGgEckRGM13UBEDVvmEgKF'));
    assert.ok(!json.includes('sYL0m2fgBtnJVFahSRFXEISw'));
    assert.ok(json.includes('•••'));
  });
});
