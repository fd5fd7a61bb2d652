import type { Scope } from './scopes.ts';

export type ScopeDecision = { allowed: true } | { allowed: false; missing: Scope[] };

/**
 * May a machine caller with `granted` scopes call a route that requires `required`? All of them must be granted.
 * A route that declares no scope is a sender route: only a sender's caller (API key or sender system) may call it.
 */
export function scopeDecision(
  caller: { kind: 'sender' | 'business'; granted: readonly string[] },
  required: readonly Scope[],
): ScopeDecision {
  if (required.length === 0) return caller.kind === 'sender' ? { allowed: true } : { allowed: false, missing: [] };
  // The inbox scopes are a business's: a sender's caller never passes an inbox route, whatever it was granted.
  if (caller.kind === 'sender' && required.some((scope) => scope.startsWith('inbox:'))) {
    return { allowed: false, missing: required.filter((scope) => scope.startsWith('inbox:')) };
  }
  const missing = required.filter((scope) => !caller.granted.includes(scope));
  return missing.length === 0 ? { allowed: true } : { allowed: false, missing };
}
