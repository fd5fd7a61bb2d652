/** The public face of the print module: what other modules may import. */
export { queueForPrint } from './queue-for-print.ts';
export { hasPostalAddress } from './render-print-pdf.ts';
