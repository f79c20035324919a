// Which trigger-event predicate fields are authenticated: GitHub's HMAC (X-Hub-Signature-256) covers the
// body bytes only; the InterceptorRequest context and every header are relayed without any check.
// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries

// Predicate fields the webhook sender's HMAC covers.
export const AUTHENTICATED_FIELDS = ['body'] as const;
export type AuthenticatedField = (typeof AUTHENTICATED_FIELDS)[number];

// Predicate fields relayed from the request unchecked (the body too when nothing authenticated it).
export type UnauthenticatedField =
  'eventId' | 'triggerId' | 'eventListener' | 'headers' | 'body';

// The two lists as the predicate carries them.
export interface FieldTrust {
  authenticated: AuthenticatedField[];
  unauthenticated: UnauthenticatedField[];
}

// The lists for a statement about to be signed (fixed order, so the payload bytes are deterministic).
export function fieldTrust(
  verified: boolean,
  hasTriggerId: boolean
): FieldTrust {
  return {
    authenticated: verified ? ['body'] : [],
    unauthenticated: [
      'eventId',
      ...(hasTriggerId ? ['triggerId' as const] : []),
      'eventListener',
      'headers',
      ...(verified ? [] : ['body' as const]),
    ],
  };
}

// Whether a signed predicate says its body was authenticated. Statements signed before the lists existed
// say it through `authentication.result: verified` alone (which always meant the body's HMAC).
export function isBodyAuthenticated(p: {
  authentication?: { result?: string };
  authenticated?: unknown;
  unauthenticated?: unknown;
}): boolean {
  const verified = p.authentication?.result === 'verified';
  if (p.authenticated === undefined && p.unauthenticated === undefined)
    return verified;
  const listed = (v: unknown) => Array.isArray(v) && v.includes('body');
  return verified && listed(p.authenticated) && !listed(p.unauthenticated);
}
