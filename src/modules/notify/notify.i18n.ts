/** The notify module's UI strings, Danish first; merged into the dictionaries in src/web/i18n.ts. */
export const da = {} as const;

/** English: exactly the same keys as Danish. */
export const en: Record<keyof typeof da, string> = {};
