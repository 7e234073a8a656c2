/**
 * The Node flags the language server runs with. The editor's client starts `dist/server.js` with
 * them, and so do the benchmark and the tests that run the server as the editor does; another
 * editor that starts the server itself should pass them too (the README says so).
 *
 * `--max-semi-space-size=4`: a young generation of 4 MB per semi-space instead of V8's 16. The
 * server's thread parses documents and keeps them: nearly all of a parse survives, and a large
 * young generation copies those survivors over and over before promoting them. Measured side by
 * side on the 5,000-step playbook in a fresh process (`npx tsx bench/lsp.ts`): the first open
 * ~690 → ~605 ms and the peak memory ~206 → ~176 MB. A thread that checks many small files and
 * drops them pays for the small young generation instead (~20% slower over 1,000 files), so the
 * server gives its worker threads V8's default back (`node/workerHeap.ts`).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
