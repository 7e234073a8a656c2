/**
 * The extension-tests entry VS Code loads (`extensionTestsPath`): runs the suites with mocha's
 * `tdd` interface inside the extension host and rejects when any test fails.
 */
import Mocha from 'mocha';

/** Runs the suites that `load` registers; `load` runs after mocha's interface is in place. */
export function runWith(load: () => void): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, slow: 5_000 });
  const grep = process.env.PLAYBOOK_EDITOR_GREP;
  if (grep) mocha.grep(grep);
  // What mocha's CLI does before requiring each file: `suite`, `test`… now reach this instance.
  mocha.suite.emit('pre-require', globalThis, 'playbook-editor-suite', mocha);
  load();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} editor test${failures === 1 ? '' : 's'} failed`)) : resolve()));
  });
}
