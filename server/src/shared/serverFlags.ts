/**
 * The V8 flags the language server runs with. The editor's client starts it with them, and the
 * benchmark too, so that what is measured is what users run.
 *
 * A young generation of 2 MB per semi-space (V8 lets it grow to 16 MB): the first check of a large
 * playbook builds the YAML library's syntax tree and document, which stay alive for the whole
 * parse, and a large young generation copies them again at each scavenge before promoting them.
 * On the 5,000-step playbook in a fresh server this took open → first diagnostics from about 840
 * to 750 ms and the peak memory down by about 30 MB, for an edit 2 to 5 ms slower (bench/lsp.ts).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
