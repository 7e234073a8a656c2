/** The messages between the flow view's panel (extension host) and its script (webview). */
import type { FlowFocus, FlowViewResult } from '../../../server/src/shared/protocol';

export type ToFlowView =
  /** A new view of the playbook, with the focused finding's paths (`view.highlight`) when it has one. */
  { type: 'update'; view: FlowViewResult; file: string };

export type FromFlowView =
  | { type: 'ready' }
  /** Show this node's step in the editor. */
  | { type: 'reveal'; key: string }
  /** The user picked a finding (or none) in the view itself: its paths come in the next update. */
  | { type: 'focus'; focus?: FlowFocus };
