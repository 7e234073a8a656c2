/**
 * The dry-run's text report keeps to its width: prose wraps between words under a hanging indent,
 * and a command or query quoted from the playbook is cut only where the cut changes nothing: the
 * shell reads the cut command as the same command (checked with the shell parser, on the examples
 * and on random commands).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPlaybook } from '../../server/src/core/check.js';
import { renderText, simulate, type DryRun } from '../../server/src/core/dryrun/index.js';
import { codeLines } from '../../server/src/core/dryrun/render/codeLines.js';
import { TEXT_WIDTH, wrapProse } from '../../server/src/core/dryrun/render/wrapText.js';
import type { Quote } from '../../server/src/core/dryrun/types.js';
import { parseShell } from '../../server/src/core/security/shellSyntax.js';
import type { ShellList } from '../../server/src/core/security/shellSyntaxTree.js';
import { exampleRuns } from './helpers/dryRunExamples.js';
import { playbook } from './helpers/findings.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 200);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20260412;

/** What the shell makes of a command: its lists, pipelines, stages, words and redirections, without offsets. */
function shape(list: ShellList): unknown {
  return list.map((pipeline) => pipeline.stages.map((stage) => ({
    words: stage.words.map((w) => [w.value, w.substitutions.map((s) => shape(s.body))]),
    redirects: stage.redirects.map((r) => [r.op, r.target?.value]),
    groups: stage.groups.map(shape),
  })));
}

/** The lines codeLines made, as a shell would read them: the margin taken off (a cut's deeper lines keep their extra blanks, which are nothing to the shell). */
function asTyped(lines: readonly string[], indent: number): string {
  return lines.map((l) => l.slice(indent)).join('\n');
}

const command = (text: string): Quote => ({ lead: 'would run', kind: 'command', text });

describe('prose', () => {
  test('cut between words, within the width, under the indent; the words and their order kept', () => {
    const text = 'the run reached the end of the playbook; error-level findings stand against it: roll-back-search brings back a vulnerable release';
    const lines = wrapProse('Outcome: ', text, { indent: 2, width: 40 });
    assert.ok(lines.length > 2);
    for (const line of lines) assert.ok(line.length <= 40, line);
    assert.ok(lines.slice(1).every((l) => l.startsWith('  ') && !l.startsWith('   ')), 'the hanging indent');
    assert.equal(lines.map((l) => l.trim()).join(' '), `Outcome: ${text}`);
  });

  test('a word longer than the line stands alone, whole', () => {
    const purl = 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar&classifier=sources';
    assert.deepEqual(wrapProse('  ', `on ${purl} today`, { indent: 4, width: 30 }), ['  on', `    ${purl}`, '    today']);
  });

  test('the tail (where the flow goes) is never cut, and follows after two spaces', () => {
    assert.deepEqual(wrapProse('1. ', 'would wait 10m', { indent: 3, width: 40, tail: '→ recheck-errors' }), ['1. would wait 10m  → recheck-errors']);
    assert.deepEqual(wrapProse('1. ', 'would wait 10m', { indent: 3, width: 30, tail: '→ escalate (on-failure)' }), ['1. would wait 10m', '   → escalate (on-failure)']);
  });

  test('a prefix wider than the indent gives its line up to the words', () => {
    assert.deepEqual(wrapProse('  1. ran  a-very-long-step-identifier-indeed  ', 'would wait 10m', { indent: 10, width: 40 }), ['  1. ran  a-very-long-step-identifier-indeed', '          would wait 10m']);
  });
});

describe('a quoted shell command', () => {
  test('cut between words with a continuation; quoted words stay whole; the shell reads the same command', () => {
    const text = 'psql "service=orders-ro" -c "select status, count(*) from orders group by status" --no-psqlrc --quiet | tee /tmp/orders.txt';
    const lines = codeLines(command(text), 4, 60);
    assert.deepEqual(lines, [
      '    psql "service=orders-ro" -c \\',
      '      "select status, count(*) from orders group by status" \\',
      '      --no-psqlrc --quiet | tee /tmp/orders.txt',
    ]);
    assert.deepEqual(shape(parseShell(asTyped(lines, 4))), shape(parseShell(text)));
  });

  test('a word longer than the line is not cut, and a short command is left as written', () => {
    const long = `echo '${'x '.repeat(50)}'`;
    assert.deepEqual(codeLines(command(long), 2, 40), [`  echo \\`, `    '${'x '.repeat(50)}'`]);
    assert.deepEqual(codeLines(command('kubectl get pods'), 2, 40), ['  kubectl get pods']);
  });

  test('each written line kept; a comment or a here-document is never cut', () => {
    const script = 'set -e\n# a comment that is long enough to pass the width of this test by far\ncat <<EOF > /tmp/note\nhello   there\nEOF';
    assert.deepEqual(codeLines(command(script), 2, 30), script.split('\n').map((l) => `  ${l}`));
    const commented = 'kubectl get pods --all-namespaces  # what runs where, one line each';
    const lines = codeLines(command(commented), 0, 30);
    assert.deepEqual(lines, ['kubectl get pods \\', '  --all-namespaces \\', '  # what runs where, one line each']);
    assert.deepEqual(shape(parseShell(asTyped(lines, 0))), shape(parseShell(commented)));
  });

  test('random commands: every cut reads back as the same command, and lines that could be cut fit', () => {
    const plain = fc.stringMatching(/^[a-z0-9=./:-]{1,14}$/);
    const doubleQuoted = fc.stringMatching(/^[a-z ]{0,20}$/).map((s) => `"${s}"`);
    const singleQuoted = fc.stringMatching(/^[a-z $|;]{0,20}$/).map((s) => `'${s}'`);
    const substitution = fc.array(plain, { minLength: 1, maxLength: 3 }).map((ws) => `"$(${ws.join(' ')})"`);
    const operator = fc.constantFrom('|', '&&', '||', ';', '>', '2>&1');
    const token = fc.oneof({ weight: 5, arbitrary: plain }, doubleQuoted, singleQuoted, substitution, operator);
    const blanks = fc.constantFrom(' ', ' ', '  ', '\t');
    const commandText = fc.tuple(plain, fc.array(fc.tuple(blanks, token), { maxLength: 24 }), fc.option(fc.stringMatching(/^[a-z ]{0,30}$/))).map(([first, rest, comment]) => `${first}${rest.map(([b, t]) => `${b}${t}`).join('')}${comment === null ? '' : ` # ${comment}`}`);
    fc.assert(fc.property(commandText, fc.integer({ min: 20, max: 100 }), fc.integer({ min: 0, max: 12 }), (text, width, indent) => {
      const lines = codeLines(command(text), indent, width);
      assert.deepEqual(shape(parseShell(asTyped(lines, indent))), shape(parseShell(text)), lines.join('\n'));
      // A line past the width is one piece that had no cut in reach: no blank between words (redirections and comments aside, which are kept whole).
      for (const line of lines.filter((l) => l.length > width && !/[>#]/.test(l))) assert.ok(!/\S[ \t]+\S/.test(line.slice(indent).replace(/ \\$/, '').replace(/"[^"]*"|'[^']*'/g, 'Q')), line);
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
  });
});

describe('a long quote costs time in proportion to its length', () => {
  /** Lays out a command, a query and a message of `count` words each; the lines for the checks, and the time taken (the best of three). */
  function layOut(count: number): { lines: string[]; ms: number } {
    const words = Array.from({ length: count }, (_, i) => `arg${i}`).join(' ');
    let best = Infinity;
    let lines: string[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      lines = [...codeLines(command(`run ${words}`), 8, 100), ...codeLines({ lead: 'would diagnose with the query', kind: 'query', text: `sum(${words})` }, 8, 100), ...wrapProse('  1. ', words, { indent: 8, width: 100 })];
      best = Math.min(best, performance.now() - started);
    }
    return { lines, ms: best };
  }

  test('over half a million characters of command, of query and of message: sixteen times the text costs far under the 256 times of a quadratic layout', () => {
    // Side by side in one process, so the machine's load cancels out: a layout that went back over
    // the text for each line would grow with the square of the length. Sixteen times the text keeps
    // linear and quadratic far apart, even when the collector or a busy machine slows the larger run.
    layOut(5_000);
    const small = layOut(5_000);
    const large = layOut(80_000);
    const ratio = large.ms / Math.max(small.ms, 0.5);
    // Linear measured 36x to 59x on a quiet machine (the strings of the larger text cost the collector more) and may double under load; quadratic is 256x and more.
    assert.ok(ratio < 150, `16x the words took ${ratio.toFixed(1)}x the time (${small.ms.toFixed(1)} ms, then ${large.ms.toFixed(1)} ms)`);
    assert.ok(large.lines.length > 15_000);
    assert.ok(large.lines.every((l) => l.length <= 100));
  });
});

describe('a quoted query, rule or change', () => {
  test('a query is cut at blanks outside its string literals, with no marker; joined, it is the query', () => {
    const query = 'sum(rate(http_requests_total{service="checkout api",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="checkout api"}[5m]))';
    const lines = codeLines({ lead: 'would diagnose with the query', kind: 'query', text: query }, 2, 80);
    assert.deepEqual(lines, ['  sum(rate(http_requests_total{service="checkout api",code=~"5.."}[5m])) /', '    sum(rate(http_requests_total{service="checkout api"}[5m]))']);
    assert.equal(lines.map((l) => l.trim()).join(' '), query);
  });

  test('a rule or a configuration change, whose language is not known, is never cut', () => {
    const rule = 'deny from 203.0.113.0/24 to checkout port 443 proto tcp comment "scraper seen during the incident"';
    assert.deepEqual(codeLines({ lead: 'would block traffic with the rule', kind: 'rule', text: rule }, 4, 40), [`    ${rule}`]);
  });
});

describe('the report on the examples', () => {
  const runs = async (): Promise<DryRun[]> => (await exampleRuns()).map((r) => r.run);

  test(`no line is wider than ${TEXT_WIDTH} columns but a piece of a command that has no cut in reach`, async () => {
    for (const run of await runs()) {
      const quoted = run.trace.flatMap((e) => (e.quote && e.quote.kind !== 'message' ? [e.quote.text] : []));
      for (const line of renderText(run, { file: 'examples/x.playbook.yaml' }).split('\n').filter((l) => [...l].length > TEXT_WIDTH)) {
        const piece = line.trim().replace(/ \\$/, '');
        assert.ok(line.startsWith(' '.repeat(20)) && quoted.some((q) => q.includes(piece)), `${run.playbook.id}: ${line}`);
        assert.doesNotMatch(piece.replace(/"[^"]*"|'[^']*'/g, 'Q'), /\S\s+\S/, 'it had no blank between words left to cut at');
      }
    }
  });

  test('each quoted command shows whole, on its own lines, and reads back as written', async () => {
    let seen = 0;
    for (const run of await runs()) {
      const lines = renderText(run).split('\n');
      for (const entry of run.trace.filter((e) => e.quote?.kind === 'command')) {
        const head = lines.findIndex((l) => new RegExp(`^ *(\\d+\\.|-) +\\S+ +${entry.step} +${entry.quote!.lead}:$`).test(l));
        assert.ok(head >= 0, `${entry.step}: its words end with a colon, the command below`);
        const indent = lines[head + 1]!.length - lines[head + 1]!.trimStart().length;
        const block = lines.slice(head + 1).filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith(' '.repeat(indent)) && !/^ *[→✗] /.test(l)));
        assert.deepEqual(shape(parseShell(asTyped(block, indent))), shape(parseShell(entry.quote!.text)), entry.step);
        seen++;
      }
    }
    assert.ok(seen >= 5, `commands checked: ${seen}`);
  });

  test('a multi-line script keeps its lines, under its step', () => {
    const text = playbook('  - id: collect\n    action: run\n    command: |\n      kubectl -n payments logs deploy/api --since=15m > /tmp/api.log\n      grep -c ERROR /tmp/api.log\n');
    const report = renderText(simulate(checkPlaybook(text)));
    assert.match(report, /^ {2}1\. ran {6}collect {2}would run:\n {25}kubectl -n payments logs deploy\/api --since=15m > \/tmp\/api\.log\n {25}grep -c ERROR \/tmp\/api\.log\n {23}→ review$/m);
  });
});
