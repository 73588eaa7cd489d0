import type { RequestContext } from "../audit-events";
import type { CallerKey } from "../keys/rules";

export type { CallerKey };

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
  /** A session's last authentication (sign-in or step-up); absent for a key. Sensitive changes need it recent (lib/accounts/step-up.ts). */
  authenticatedAt?: Date;
};

/** A team, as the owner a key command acts for. */
export type TeamRef = { id: string };

/**
 * Who runs a key command (lib/commands/keys.ts), and for whom. A person: their own keys, or with
 * `team` the keys of a team they belong to (the dashboard's /t/<slug> pages; their role, read
 * locked inside each change, decides). Or a team key through /api/v1: it acts for its team and is
 * no person (`userId` null), within its own scopes and lifetime (lib/keys/rules.ts).
 */
export type KeyActor =
  | (Actor & { team?: TeamRef })
  | (Omit<Actor, "userId" | "authenticatedAt"> & { userId: null; team: TeamRef; key: CallerKey; authenticatedAt?: undefined });

/**
 * A page's read as the signed-in person (their own keys, or with `team` a team's): no request
 * context, as a read writes no audit row. The command still checks the role in its transaction.
 */
export function readerActor(userId: string, team?: TeamRef): KeyActor {
  return { userId, context: { ip: null, userAgent: null }, clockOffsetMs: 0, ...(team ? { team } : {}) };
}
