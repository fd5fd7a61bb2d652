/** The public face of the print module: what other modules may import. */

export { buildPrintBatches } from './build-print-batch.ts';
export { confirmPrintBatch } from './confirm-print-batch.ts';
export { queueForPrint } from './queue-for-print.ts';
export { hasPostalAddress } from './render-print-pdf.ts';
export { reportReturnedLetters } from './report-returns.ts';
