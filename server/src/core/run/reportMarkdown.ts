/**
 * The run report as Markdown, for an auditor reading it on GitHub or in an audit folder: the
 * warnings first (an untrusted chain, an unfinished record, notifications that reached no one),
 * then the run in one table, the timeline, approvals, notifications with every delivery result,
 * release checks, deviations, the SOC 2 evidence and what in the record does not add up. Every
 * text from the record is escaped (util/markdownText.ts): it shows as recorded and writes no markup.
 */
import type { DeliveryAttempt, NotificationEntry, ReleaseCheckEntry, RunReport, TimelineEntry } from './reportTypes.js';
import { code, inline, table, toolInline } from '../util/markdownText.js';
import { advisoryWords, channelWords, deliveryWords, plural } from './reportWords.js';

export function renderRunMarkdown(report: RunReport): string {
  const out: string[] = [`# Incident run: ${inline(report.playbook?.id ?? 'unknown playbook')}`, ''];
  report.record.warnings.forEach((warning, i) => {
    // GitHub draws these as alerts; elsewhere they read as quotes.
    const kind = i === 0 && !report.record.verified ? 'CAUTION' : 'WARNING';
    out.push(`> [!${kind}]`, `> ${inline(warning)}`, '');
  });
  out.push(...summary(report));
  out.push('', '## Timeline', '');
  out.push(...table(['#', 'At', 'By', 'What happened'], report.timeline.map((e) => [String(e.seq), inline(e.at), inline(e.by), timelineText(e)])));
  out.push('', '## Approvals', '');
  out.push(...(report.approvals.length
    ? table(['Checkpoint', 'Approver', 'Decision', 'At', 'Recorded by', 'Note'], report.approvals.map((a) => [
      code(a.step), a.approver === null ? '(none named)' : inline(a.approver), a.decision === 'granted' ? 'granted' : `**${a.decision}**`, inline(a.at), inline(a.by), inline(a.note ?? ''),
    ]))
    : ['No checkpoint was decided.']));
  out.push('', '## Notifications', '');
  out.push(...(report.notifications.length
    ? table(['#', 'From', 'To', 'Message', 'Sent', 'Deliveries', 'Final state'], report.notifications.map(notificationRow))
    : ['No notification was sent.']));
  out.push('', '## Release checks', '');
  out.push(...(report.releaseChecks.length
    ? table(['Step', 'Release', 'Checked', 'Standing advisories', 'Set aside by VEX', 'Acknowledged'], report.releaseChecks.map(releaseRow))
    : ['No release was checked.']));
  out.push('', '## Deviations', '');
  out.push(...(report.deviations.length
    ? table(['Step', 'Deviation', 'Reason', 'At', 'By'], report.deviations.map((d) => [code(d.step), inline(d.kind), d.reason.trim() ? inline(d.reason) : '**no reason given**', inline(d.at), inline(d.by)]))
    : ['None: no step was taken out of the flow.']));
  out.push('', '## SOC 2 evidence', '', `Judged on ${inline(report.soc2Basis)}.`, '');
  out.push(...table(['Criterion', 'Evidenced', 'Claimed by the playbook', 'Evidence'], report.soc2.map((p) => [
    `${p.criterion} ${inline(p.name)}`, p.evidenced ? 'yes' : '**no**', p.claimed ? 'yes' : 'no', inline(p.evidence),
  ])));
  if (report.problems.length) out.push('', '## Problems in the record', '', ...report.problems.map((p) => `- ${inline(p)}`));
  out.push('', '---', '', 'Produced by `playbook runs report` from the run\'s record. Whether the record is the one written during the run is what its hash chain says: `playbook runs verify FILE`.');
  return out.join('\n') + '\n';
}

function summary(report: RunReport): string[] {
  const p = report.playbook;
  const chain = report.record.verified
    ? `verifies: ${plural(report.record.events, 'event')}, none edited, removed or moved since written`
    : `**does not verify**: ${inline(report.record.problem ?? 'no reason given')}`;
  const rows: string[][] = [
    ['Playbook', p ? `${code(p.id)}${p.title ? `: ${inline(p.title)}` : ''}` : '(not recorded)'],
    ...(p ? [['File', code(p.file)], ['SHA-256', code(p.sha256)]] : []),
    ['Started', report.startedAt === null ? '(not recorded)' : `${inline(report.startedAt)} by ${inline(report.startedBy ?? '')}`],
    ['Ended', report.endedAt === null ? '**not recorded**' : inline(report.endedAt)],
    ['Duration', report.duration === null ? 'unknown' : inline(report.duration)],
    ['Outcome', `**${report.outcome}**`],
    ['Path', report.path.length ? report.path.map(code).join(' → ') : '(no step)'],
    ['Hash chain', chain],
    ...(report.tool ? [['Recorded with', `${inline(`${report.tool.name} ${report.tool.version}`)}, ${report.mode === 'answers' ? 'from an answers file' : 'in the editor'}`]] : []),
  ];
  return table(['', ''], rows);
}

function notificationRow(n: NotificationEntry): string[] {
  const from = n.auto ? 'automatically, after a change' : n.step === null ? '(no step)' : code(n.step);
  const final = n.status === 'delivered' ? `delivered at ${inline(n.deliveredAt ?? '')}` : `**${toolInline(deliveryWords(last(n.deliveries)))}**`;
  return [String(n.id), from, inline(channelWords(n.channel, n.target)), inline(n.message), `${inline(n.sentAt)} by ${inline(n.sentBy)}`, n.deliveries.map(attemptText).join('; '), final];
}

/** The event's words, escaped; a delivery result keeps the tool's code spans (the variable to set, the webhook's error code). */
function timelineText(e: TimelineEntry): string {
  if (e.delivery === null || !e.text.endsWith(e.delivery)) return inline(e.text);
  return `${inline(e.text.slice(0, -e.delivery.length))} ${toolInline(e.delivery)}`;
}

function attemptText(d: DeliveryAttempt): string {
  return `${inline(d.at)}: ${d.status === 'given-up' ? `given up by ${inline(d.by)}` : toolInline(deliveryWords(d))}`;
}

function releaseRow(c: ReleaseCheckEntry): string[] {
  const acknowledged = !c.standing.length ? 'not needed (none standing)' : c.acknowledged ? `yes, by ${inline(c.by)}` : '**no**';
  return [
    code(c.step),
    inline(`${c.service} ${c.version}`),
    `${inline(c.at)} by ${inline(c.by)}`,
    c.standing.length ? c.standing.map((a) => inline(advisoryWords(a))).join('; ') : 'none',
    c.decided.length ? c.decided.map((a) => inline(`${a.id}: ${a.decidedBy ? `${a.decidedBy.status}${a.decidedBy.justification ? ` (${a.decidedBy.justification})` : ''} in ${a.decidedBy.file}` : 'decided'}`)).join('; ') : 'none',
    acknowledged,
  ];
}

function last<T>(items: readonly T[]): T {
  return items[items.length - 1]!;
}
