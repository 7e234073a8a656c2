const RELEASES_OPTIONS = `Options for releases:
  -f, --format <text|json>         Output format (default: text).
  -o, --output <file>              Write the report to this file instead of standard output.
      --policy <file>              Use this policy file instead of the nearest .playbooks/policy.yaml.
`;

/** What `playbook releases --help` prints. */
export const RELEASES_USAGE = `Usage: playbook releases [paths...] [options]

For every service of the playbooks found (files, folders searched for *.playbook.yaml|yml, or
globs; default: the current folder) and each of its known releases, newest first: clear, affected
(which advisories, on which components, worst first) or not checked (and why); the SBOM used and
what security's VEX documents decided.

${RELEASES_OPTIONS}
Exit codes: 0 the report was made, whatever the releases' status; 2 usage problem or unreadable
input (the other playbooks are still reported).
`;

const RUN_OPTIONS = `Options for run:
      --answers <file>             What happened at each step (YAML: who, and steps by id: done, failed,
                                   { skipped: why }, { approved-by: who }, { denied-by: who },
                                   { done: true, note: ..., acknowledge-advisories: true }). A step not
                                   listed is done; a checkpoint not listed is approved by who.
      --record <dir>               Write the record here (default: runs/ beside the policy, .playbooks/runs).
      --policy <file>              Use this policy file instead of the nearest .playbooks/policy.yaml.
`;

/** What \`playbook run --help\` and \`playbook runs --help\` print. */
export const RUN_USAGE = `Usage: playbook run <file> --answers <file> [options]
       playbook runs verify <record>
       playbook runs report <record> [--format markdown|json] [-o <file>] [--policy <file>]

An incident run follows the playbook step by step as someone says what happened; nothing is
executed. Each rollback or deploy has its target checked against the advisories, SBOMs and VEX
as they are at that moment; a standing advisory must be acknowledged. notify steps (and, with the
policy's auto-notify-security, every risky change) send their messages. The record,
<UTC time>-<playbook id>.jsonl, is hash-chained: runs verify names the first line that was
edited, removed or moved.

${RUN_OPTIONS}
Exit codes: run: 0 resolved; 1 aborted, blocked or stopped; 2 usage problem.
runs verify: 0 the chain holds; 1 a line breaks it; 2 the record cannot be read.
runs report: 0 the report was written (a broken chain is reported, under a warning); 2 usage problem.
`;

const GRAPH_OPTIONS = `Options for graph:
  -f, --format <mermaid|dot>       Diagram format (default: mermaid, which GitHub draws in Markdown).
  -o, --output <file>              Write the diagram to this file instead of standard output.
      --policy <file>              Use this policy file instead of the nearest .playbooks/policy.yaml.
`;

/** What \`playbook graph --help\` prints. */
export const GRAPH_USAGE = `Usage: playbook graph <file> [options]

The playbook's flow as a diagram, for a pull request or the docs: steps are nodes, checkpoints
hexagons, risky steps green when a security checkpoint guards them on every path and red when
not, steps that notify security marked; list order and 'next' are solid edges, 'on-failure'
dashed, 'requires' dotted.

${GRAPH_OPTIONS}
Exit codes: 0 the diagram was written; 2 usage problem or unreadable input.
`;

export const USAGE = `Usage: playbook <command> [options]
       playbook --help | --version (-V)

Commands:
  check [paths...]     Check playbooks (files, folders searched for *.playbook.yaml|yml, or globs).
                       Default: the current folder.
  rules [id]           List the rules with their default and effective severity; with a rule id
                       (PB101, any case) or name, print that rule's documentation page.
  advisories           Show the advisory records the policy loads; with --package (and --version),
                       which records name that package and why a version is or is not affected;
                       with --update, download OSV's exports for the workspace's ecosystems.
  dry-run <file>       Rehearse a playbook without executing anything: the steps it would take,
                       gates, notifications, advisories, outcome and SOC 2 evidence (docs/dry-run.md).
  graph <file>         The playbook's flow as a Mermaid or DOT diagram: checkpoints, guarded and
                       unguarded risky steps, notifications, on-failure and requires edges.
  releases [paths...]  For every service and known release of the playbooks: clear, affected (which
                       advisories, on which components) or not checked; the SBOM used and what
                       security's VEX decided. Default: the current folder.
  run <file>           Follow a playbook as an incident run, non-interactively (--answers says what
                       happened at each step), writing the hash-chained record and sending its
                       notifications; nothing is executed.
  runs verify <file>   Check a run record's hash chain: names the first edited, removed or moved line.
  runs report <file>   A run's SOC 2 evidence from its record (Markdown or JSON): timeline, approvals,
                       notifications and deliveries, release checks, deviations, outcome (docs/runs.md).

Options for check:
  -f, --format <text|json|sarif|github>
                                   Output format (default: text); github: one GitHub Actions annotation
                                   (workflow command) per finding, then the summary line.
  -o, --output <file>              Write the report to this file instead of standard output.
      --policy <file>              Use this policy file instead of the nearest .playbooks/policy.yaml.
      --max-warnings <n>           Exit 1 when there are more than n warnings.
  -q, --quiet                      Report errors only.
      --show-suppressed            Also list findings suppressed with # playbook-ignore, removed by security's VEX,
                                   or listed in the baseline.
  -j, --jobs <n>                   Check on up to n worker threads (default: one per core, when there are
                                   enough files to pay for them; 1: no workers). Output is the same.
      --baseline <file>            Report only findings this baseline does not list; the exit code counts only
                                   those. Default: the baseline the policy names (its 'baseline' key), if any.
      --write-baseline <file>      Write every current finding to this baseline file (JSON, to commit) instead
                                   of reporting them, and exit 0.

Options for rules:
      --policy <file>              Show effective severities under this policy.
  -f, --format <text|json>         Output format (default: text).
  -o, --output <file>              Write the report to this file instead of standard output.

Options for advisories:
  -p, --package <purl>             A package URL, e.g. pkg:maven/org.apache.logging.log4j/log4j-core.
      --version <version>          With --package: is this version affected, and by which range?
      --write-index                Write the published index beside each zip the policy names
                                   (<zip>.playbook-index), so loads elsewhere need not parse it.
      --update                     Download <mirror>/<Ecosystem>/all.zip for each ecosystem the services of
                                   the playbooks under the current folder use, into
                                   <policy dir>/advisories/osv/<Ecosystem>.zip (or the policy's
                                   advisories-update-dir), with a <Ecosystem>.zip.fetch.json record. Only
                                   a changed file is downloaded, and it replaces the old one only once it
                                   is complete and reads as a zip within the policy's limits. Honours
                                   HTTPS_PROXY, HTTP_PROXY and NO_PROXY.
      --mirror <url>               With --update: download from this base URL instead of the policy's
                                   advisories-mirror (default https://osv-vulnerabilities.storage.googleapis.com).
      --ecosystems <list>          With --update: these OSV ecosystems instead, comma-separated (npm,PyPI).
      --policy <file>              Use this policy's advisory sources (and mirror and folder).
  -f, --format <text|json>         Output format (default: text).
  -o, --output <file>              Write the report (the records in use, or --package's) to this file instead
                                   of standard output; not with --update or --write-index.

Options for dry-run:
      --fail <id>                  This step fails (repeatable, or comma-separated).
      --deny <id>                  This checkpoint is denied (repeatable, or comma-separated).
      --advisories-as-of <date>    Only advisories published by this ISO date (or date-time).
  -f, --format <text|json|markdown>  Report format (default: text).
  -o, --output <file>              Write the report to this file instead of standard output; --out is the same.
      --policy <file>              Use this policy file instead of the nearest .playbooks/policy.yaml.
      --timestamp                  Add the time of the run to the report (otherwise runs on the same data
                                   are byte-identical, but for an advisory age PB110 gives in days).

${GRAPH_OPTIONS}
${RELEASES_OPTIONS}
${RUN_OPTIONS}
An --output file's folders are created, and the file is replaced only once the report is complete.

Exit codes: 0 no error-level finding; 1 error-level findings (or too many warnings);
2 usage problem or unreadable input (the other files are still checked), a baseline that cannot be
used (nothing is checked), or an --output file that cannot be written. With a baseline, only
findings it does not list count.
advisories --update: 0 every ecosystem updated or unchanged; 2 otherwise (one line per failure;
the previous data of an ecosystem that failed is kept and still in use).
dry-run: 0 resolved, security notified after every change, and no error-level finding stands
against the run (on a step that ran, or on the whole playbook); 1 otherwise; 2 usage problem.
releases: 0 whatever the releases' status (a report, not a gate); 2 usage problem or unreadable input.
graph: 0 the diagram was written; 2 usage problem or unreadable input.
run: 0 the run resolved; 1 it aborted, was blocked, or stopped (a standing advisory not acknowledged);
2 usage problem. runs verify: 0 the chain holds; 1 a line breaks it; 2 the record cannot be read.
runs report: 0 the report was written (a broken chain is reported, under a warning); 2 usage problem.
`;
