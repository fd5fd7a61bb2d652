/** The public face of the mailbox module: what other modules may import. */

export type { ForwardableLetter, ForwardDecision } from './forward.policy.ts';
export { mayForward } from './forward.policy.ts';
export type { ForwardInfo, ForwardSource, PersonForward } from './forward-letter.ts';
export {
  checkForwardNote,
  FORWARD_AUDIT,
  FORWARD_NOTE_MAX,
  FORWARD_RECEIVED_AUDIT,
  findForwardInfo,
  findSentForward,
  forwardSource,
  forwardToPerson,
  prepareForwardToPerson,
} from './forward-letter.ts';
export { downloadableHtml, letterHtmlFragment, sanitisedHtmlPage } from './html-document.ts';
export { recordRead } from './record-read.ts';
export { DECEASED_DEMO_CPR } from './retention-demo.ts';
