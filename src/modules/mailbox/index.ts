/** The public face of the mailbox module: what other modules may import. */
export { downloadableHtml } from './html-document.ts';
export { recordRead } from './record-read.ts';
