/**
 * `playbook graph FILE [--format mermaid|dot] [-o FILE] [--policy FILE]`: the playbook's flow as
 * a diagram for a pull request or the docs. Mermaid by default (GitHub draws it in Markdown), DOT
 * for Graphviz. Steps are nodes, checkpoints hexagons, risky steps green when a security
 * checkpoint guards them and red when not, steps that notify security marked; `next` and list
 * order are solid edges, `on-failure` dashed, `requires` dotted. The verdicts are `check`'s, under
 * the same policy. Exit 0 when the diagram was written; 2 for a usage problem or unreadable input.
 */
import * as path from 'node:path';
import { checkParsed, dotDiagram, flowDiagram, mermaidDiagram, parseForCheck } from '../../core/index.js';
import { CheckEnvironment } from '../../node/checkEnvironment.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { writeOutput } from '../outputFile.js';
import { readPlaybookText } from '../../node/readPlaybookText.js';
import { shownPath } from '../report.js';

export interface GraphArgs {
  file: string;
  format: 'mermaid' | 'dot';
  out: string | undefined;
  policyFile: string | undefined;
}

export async function runGraph(args: GraphArgs, io: CliIO): Promise<ExitCode> {
  const file = path.resolve(io.cwd, args.file);
  const shown = shownPath(file, io.cwd);
  const environments = new CheckEnvironment(io.cwd, args.policyFile ? path.resolve(io.cwd, args.policyFile) : undefined);
  const { loaded, advisories } = await environments.forPlaybook(file);
  const read = await readPlaybookText(file, loaded.policy);
  if ('problem' in read) {
    io.stderr(`playbook: ${shown}: ${read.problem}\n`);
    return EXIT.usage;
  }
  const parsed = parseForCheck(read.text, { policy: loaded.policy });
  if (!parsed.yaml) {
    io.stderr(`playbook: ${shown}: not a playbook this can draw; 'playbook check' says why\n`);
    return EXIT.usage;
  }
  const diagram = flowDiagram(checkParsed(parsed, { policy: loaded.policy, advisories, now: new Date() }));
  const text = args.format === 'dot' ? dotDiagram(diagram) : mermaidDiagram(diagram);
  if (args.out === undefined) {
    io.stdout(text);
    return EXIT.ok;
  }
  const outFile = await writeOutput(io, args.out, text);
  if (outFile === undefined) return EXIT.usage;
  io.stdout(`${shown}: ${diagram.nodes.length - 1} steps drawn (${args.format}) to ${shownPath(outFile, io.cwd)}\n`);
  return EXIT.ok;
}
