/**
 * `playbook advisories --update` behind a proxy: HTTP_PROXY and NO_PROXY from the environment are
 * honoured (undici's EnvHttpProxyAgent). The mirror's host name resolves only inside the test
 * proxy, so a download that succeeds went through it; everything stays on 127.0.0.1.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { cli, workspace } from './helpers.js';
import { fixtureZip, NPM_IDS, startMirror, startProxy, type OsvMirror, type TestProxy } from './osvMirror.js';

const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
for (const name of PROXY_VARIABLES) delete process.env[name];

const NPM_ZIP = fixtureZip(NPM_IDS);
const HOST = 'osv-mirror.test';

let mirror: OsvMirror;
let proxy: TestProxy;
const created: string[] = [];
before(async () => {
  mirror = await startMirror();
  mirror.route('npm', { kind: 'zip', body: NPM_ZIP });
  proxy = await startProxy({ [HOST]: mirror.port });
});
afterEach(() => {
  for (const name of PROXY_VARIABLES) delete process.env[name];
  proxy.seen.length = 0;
  mirror.requests.length = 0;
});
after(async () => {
  await proxy.close();
  await mirror.close();
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = workspace({ '.playbooks/policy.yaml': 'policy: 1\n' });
  created.push(dir);
  return dir;
}

const zipOf = (dir: string): string => path.join(dir, '.playbooks/advisories/osv/npm.zip');

describe('advisories --update behind a proxy', () => {
  test('HTTP_PROXY: the download goes through the proxy (the mirror\'s name resolves nowhere else)', async () => {
    process.env['HTTP_PROXY'] = proxy.url;
    const dir = project();
    const r = await cli(['advisories', '--update', '--mirror', `http://${HOST}:${mirror.port}`, '--ecosystems', 'npm'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(proxy.seen, [`${HOST}:${mirror.port}`]);
    assert.deepEqual(readFileSync(zipOf(dir)), Buffer.from(NPM_ZIP));
    assert.equal(mirror.requests[0]!.headers['host'], `${HOST}:${mirror.port}`);
  });

  test('the lower-case http_proxy counts too, and even a loopback mirror is proxied when NO_PROXY says nothing', async () => {
    process.env['http_proxy'] = proxy.url;
    const dir = project();
    const r = await cli(['advisories', '--update', '--mirror', mirror.url, '--ecosystems', 'npm'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(proxy.seen, [`127.0.0.1:${mirror.port}`]);
  });

  test('NO_PROXY: a host it names is reached directly', async () => {
    process.env['HTTP_PROXY'] = proxy.url;
    process.env['NO_PROXY'] = 'localhost,127.0.0.1';
    const dir = project();
    const r = await cli(['advisories', '--update', '--mirror', mirror.url, '--ecosystems', 'npm'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(proxy.seen, []);
    assert.equal(mirror.requests.length, 1);
  });

  test('a proxy that refuses is one failure line, and nothing is written', async () => {
    process.env['HTTP_PROXY'] = proxy.url;
    const dir = project();
    const r = await cli(['advisories', '--update', '--mirror', 'http://unknown.test', '--ecosystems', 'npm'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'playbook: npm: the proxy (HTTPS_PROXY or HTTP_PROXY) refused the connection: HTTP 502\n');
    assert.ok(!existsSync(zipOf(dir)));
  });
});
