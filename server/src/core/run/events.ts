/**
 * The events of an incident run (spec section 10; docs/design/incident-runs.md): what the record
 * holds, one a line, in order. The node layer adds `seq` and `prev` when it writes a line; the core
 * builds and checks the rest, and has no clock: `at` comes from the caller.
 */

/** What every event carries besides its own fields. */
interface EventBase {
  /** ISO 8601 UTC, with milliseconds. */
  at: string;
  /** Who did it (the answers' `who`, the editor's user). */
  by: string;
}

type DeliveryStatus = 'delivered' | 'queued' | 'failed' | 'given-up' | 'not-configured';

export interface Delivery {
  status: DeliveryStatus;
  attempts: number;
  httpStatus?: number;
  /** In words; never the URL. */
  error?: string;
}

export interface AdvisoryStanding {
  id: string;
  aliases: string[];
  severity: string | null;
  /** The SBOM component it was found on; absent for the service's own package. */
  component?: { name: string; version: string | null; purl: string | null };
  /** The VEX document that decided it (`decided` only), and how. */
  decidedBy?: { file: string; status: string; justification?: string };
}

export type RunEvent =
  | (EventBase & { type: 'run-started'; playbook: { id: string; title?: string; file: string; sha256: string }; tool: { name: string; version: string }; mode: 'editor' | 'answers' })
  | (EventBase & { type: 'step-started'; step: string; index: number })
  | (EventBase & { type: 'step-done'; step: string; note?: string })
  | (EventBase & { type: 'step-failed'; step: string; note?: string })
  | (EventBase & { type: 'approval'; step: string; approver?: string; decision: 'granted' | 'denied' | 'failed'; note?: string })
  | (EventBase & { type: 'notification'; id: number; step?: string; channel: string; target?: string; message: string; auto: boolean; delivery: Delivery })
  | (EventBase & { type: 'delivery'; notification: number; delivery: Delivery })
  | (EventBase & { type: 'release-check'; step: string; service: string; version: string; standing: AdvisoryStanding[]; decided: AdvisoryStanding[]; acknowledged: boolean })
  | (EventBase & { type: 'deviation'; step: string; kind: 'skipped'; reason: string })
  | (EventBase & { type: 'run-ended'; outcome: RunOutcome; path: string[]; undelivered: number[] });

export type RunOutcome = 'resolved' | 'aborted' | 'blocked' | 'abandoned';

/** An event as the record holds it: its place and the hash of the line before. */
export type RecordedEvent = RunEvent & { seq: number; prev: string };
