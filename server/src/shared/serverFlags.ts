/**
 * The V8 flags the language server runs with. The editor's client starts it with them, and the
 * benchmark and the protocol tests too, so that what is measured and tested is what users run.
 *
 * A young generation of 3 MB per semi-space (V8 lets it grow to 16 MB): the first check of a large
 * playbook builds the YAML library's syntax tree and document, which stay alive for the whole
 * parse, and a large young generation copies them again at each scavenge before promoting them.
 * Measured side by side on the 5,000-step playbook (bench/lsp.ts): a fresh server's open → first
 * diagnostics about 780 → 680 ms, peak memory about 60 MB lower; warm opens of 10 to 1,000 steps
 * unchanged, an edit of the 5,000-step playbook 1 to 5 ms slower. 2 MB opened as fast but made
 * warm opens of large playbooks slower; 16 MB and more made the first open slower.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=3'];
