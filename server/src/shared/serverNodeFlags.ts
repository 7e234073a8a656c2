/**
 * The Node flags the language server runs with. The editor's client starts `dist/server.js` with
 * them, and so do the benchmark and the tests that run the server as the editor does; another
 * editor that starts the server itself should pass them too (the README says so).
 *
 * `--max-semi-space-size=8`: a young generation of at most 8 MB per semi-space instead of V8's
 * 16. The server's thread parses documents and keeps them: nearly all of a first parse survives,
 * and a large young generation copies those survivors over and over before promoting them.
 * Measured side by side on the 5,000-step playbook (`bench/lsp.ts`): the first open in a fresh
 * process ~40–75 ms sooner (~716 → ~653 ms in the last run) and its peak memory ~15 MB lower, with
 * the warm opens and edits unchanged. 4 MB gave a little more to the first open but made a warm
 * open of that playbook ~10% slower (more collections with a full old generation), and costs a
 * thread that checks many small files and drops them ~20%, so the server also gives its worker
 * threads V8's default back (`node/workerHeap.ts`).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
