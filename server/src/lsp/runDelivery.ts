/**
 * How the editor's runs send a message to a channel role (a notify step, `auto-notify-security`).
 * Until the policy's `notify` bindings are delivered, a message reaches no one and the record says
 * so (`not-configured`), as `playbook run` does without them. The one function webhook delivery
 * replaces.
 */
import type { Delivery } from '../core/index.js';

export async function deliverRunMessage(_channel: string, _text: string): Promise<Delivery> {
  return { status: 'not-configured', attempts: 0 };
}
