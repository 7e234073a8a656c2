/**
 * On an open, the findings go first. VS Code asks for the outline, the breadcrumbs and the code
 * lenses of a newly opened document before it pulls its diagnostics, and the server answers in the
 * order asked: on a 5,000-step playbook the squiggles waited ~175 ms behind the outline. In pull
 * mode the outline and the lenses of a document just opened therefore wait until its first
 * diagnostics have been answered (at most FIRST_FINDINGS_WAIT_MS, for a client that does not pull
 * them at once); after that, nothing waits.
 */
import { waitAtMost } from './waitAtMost.js';

const FIRST_FINDINGS_WAIT_MS = 1_000;

export class FirstFindings {
  private readonly waiting = new Map<string, { answered: Promise<void>; resolve: () => void }>();

  /** A document was opened: its first findings are to come. */
  opened(uri: string): void {
    this.answered(uri);
    let resolve!: () => void;
    const answered = new Promise<void>((r) => (resolve = r));
    this.waiting.set(uri, { answered, resolve });
  }

  /**
   * Its findings were answered (or it closed). What waited goes on after the answer has been
   * written: the response is sent once the handler's promise settles, before the next turn.
   */
  answered(uri: string): void {
    const entry = this.waiting.get(uri);
    if (!entry) return;
    this.waiting.delete(uri);
    setImmediate(entry.resolve);
  }

  /** Resolves once the document's first findings are out, or at once. */
  async before(uri: string): Promise<void> {
    const entry = this.waiting.get(uri);
    if (entry) await waitAtMost(entry.answered, FIRST_FINDINGS_WAIT_MS);
  }
}
