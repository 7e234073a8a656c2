/** The messages between the flow view's panel (extension host) and its script (webview). */
import type { FlowViewResult } from '../../../server/src/shared/protocol';

export type ToFlowView =
  /** A new view of the playbook; `focus` is the index of the finding whose paths are lit up. */
  | { type: 'update'; view: FlowViewResult; file: string; focus?: number }
  | { type: 'focus'; focus?: number };

export type FromFlowView =
  | { type: 'ready' }
  /** Show this node's step in the editor. */
  | { type: 'reveal'; key: string }
  /** The user picked a finding (or none) in the view itself. */
  | { type: 'focus'; focus?: number };
