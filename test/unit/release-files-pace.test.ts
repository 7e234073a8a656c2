/**
 * SBOMs no check waits for are read in the background at the editor's pace (a pause in typing):
 * a background read starts only once its pace allows, a check that needs the same SBOM meanwhile
 * starts it at once and waits for nothing else, and the file is read once either way. The pause
 * itself: no document changed for the pause's length.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ReleaseFileCache } from '../../server/src/node/releaseFiles.js';
import { TypingPause } from '../../server/src/lsp/typingPause.js';
import { workspace } from '../cli/helpers.js';
import { SBOM_DIR } from './helpers/sbomFixtures.js';

const LIMITS = { maxBytes: 64 * 1024 * 1024, maxComponents: 200_000 };
const SBOM = readFileSync(path.join(SBOM_DIR, 'dropwizard-1.3.15.cdx.json'), 'utf8');

/** A pace that the test opens by hand, and how many reads asked for it. */
function gate(): { pace: () => Promise<void>; open: () => void; asked: () => number } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let asked = 0;
  return { pace: () => (asked++, opened), open, asked: () => asked };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('background SBOM reads at the editor\'s pace', () => {
  test('a background read waits for its pace, then reads', async () => {
    const file = path.join(workspace({ 'a.cdx.json': SBOM }), 'a.cdx.json');
    const { pace, open, asked } = gate();
    const cache = new ReleaseFileCache(undefined, pace);
    let done = false;
    const read = cache.sbom(file, LIMITS, true).then((entry) => ((done = true), entry));
    for (let i = 0; i < 5; i++) await settle();
    assert.deepEqual([done, asked(), cache.sbomReads.parsed], [false, 1, 0], 'nothing read before the pause');
    open();
    assert.ok('sbom' in (await read));
    assert.equal(cache.sbomReads.parsed, 1);
  });

  test('a check that needs an SBOM waiting in the background reads it at once, and only once', { timeout: 20_000 }, async () => {
    const file = path.join(workspace({ 'a.cdx.json': SBOM }), 'a.cdx.json');
    const { pace } = gate(); // never opened: typing goes on
    const cache = new ReleaseFileCache(undefined, pace);
    const background = cache.sbom(file, LIMITS, true);
    const needed = await cache.sbom(file, LIMITS);
    assert.ok('sbom' in needed);
    assert.equal(await background, needed, 'the same read');
    assert.equal(cache.sbomReads.parsed, 1);
  });

  test('reads a check waits for never wait for the pace', async () => {
    const file = path.join(workspace({ 'a.cdx.json': SBOM }), 'a.cdx.json');
    const { pace, asked } = gate();
    const cache = new ReleaseFileCache(undefined, pace);
    assert.ok('sbom' in (await cache.sbom(file, LIMITS)));
    assert.equal(asked(), 0);
  });
});

describe('a pause in typing', () => {
  test('at once when nothing changed lately; after a change, once no change came for the pause', async () => {
    let now = 0;
    const typing = new TypingPause(40, () => now);
    const at = async (pause: Promise<void>): Promise<boolean> => {
      let resolved = false;
      void pause.then(() => (resolved = true));
      await settle();
      return resolved;
    };
    assert.equal(await at(typing.pause()), true, 'nothing typed yet');
    typing.changed();
    const waiting = typing.pause();
    assert.equal(await at(waiting), false);
    now = 30;
    typing.changed(); // typed again before the pause was over
    now = 60;
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(await at(waiting), false, '30 of the 40 since the last change');
    now = 75;
    await waiting;
  });
});
