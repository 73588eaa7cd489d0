import type { RequestContext } from "../audit-events";

/**
 * The key an /api/v1 request acts through. A dashboard session has none; a key carries limits of
 * its own (its scopes and its lifetime) that every key command checks (lib/keys/rules.ts).
 */
export type CallerKey = {
  id: string;
  scopes: readonly string[];
  expiresAt: Date | null;
  /** The request authenticated with a previous secret still in its rotation grace period. */
  viaPreviousSecret: boolean;
};

/**
 * Who runs a command: the signed-in user (server actions) or a key's owner acting through that
 * key (/api/v1). `userId` owns what the command reads and changes; teams will widen this to an
 * owner of another kind, here and in lib/commands only.
 */
export type Actor = {
  userId: string;
  context: RequestContext;
  /** The test clock's shift (lib/clock.ts): always 0 in production. */
  clockOffsetMs: number;
  key?: CallerKey;
};
