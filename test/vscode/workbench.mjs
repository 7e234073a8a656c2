// How the runner and the UI tests open VS Code in Chromium: the same flags and the same URL shape.
import { ROOT } from '../../scripts/editor/prepare.mjs';

/** Headless Chromium as root in a container, with nothing that phones home. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * The workbench URL for `folder`, with this repository loaded as the extension under development
 * and, when given, the extension tests to run (`extensionTestsPath`).
 */
export function workbenchUrl(server, folder, { extensionTestsPath } = {}) {
  const remote = (absolute) => `vscode-remote://127.0.0.1:${server.port}${absolute}`;
  const payload = [['extensionDevelopmentPath', remote(ROOT)], ...(extensionTestsPath ? [['extensionTestsPath', remote(extensionTestsPath)]] : []), ['skipWelcome', 'true']];
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
