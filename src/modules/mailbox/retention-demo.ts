/** The deceased person of the retention demo (core seed, src/seed.ts; mailbox/retention.seed.ts closes his mailbox). */
export const DECEASED_DEMO_CPR = '0803374007';
