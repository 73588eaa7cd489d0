import { aliasedTable, and, count, eq, isNull, sql } from "drizzle-orm";
import { ssoDecision, type SsoClaims, type SsoRefusal } from "@/lib/accounts/sso-policy";
import type { RequestContext } from "@/lib/audit-events";
import { sqlNow } from "@/lib/clock";
import { isUniqueViolation } from "@/lib/errors";
import type { Database } from "../client";
import { invitations, ssoLinks, users } from "../schema";
import { recordAudit, recordSignIn } from "./audit";
import { lockSignUpSettings } from "./settings";
import type { SessionUser } from "./users";

const sessionColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  sessionVersion: users.sessionVersion,
  suspendedAt: users.suspendedAt,
  deletedAt: users.deletedAt,
};

export type SsoAcceptance =
  | { ok: true; user: SessionUser; how: "signed_in" | "linked" | "created" }
  | { ok: false; reason: SsoRefusal; userId: string | null };

const inviter = aliasedTable(users, "inviter");

/**
 * An SSO sign-in's whole decision, in one transaction: the link by issuer and subject, the account
 * by email (rows locked), the sign-up settings (share-locked, as a sign-up does) and an open
 * invitation are read, ssoDecision (lib/accounts/sso-policy.ts) decides, and the link, the new
 * account, the consumed invitation and the audit rows are written together. A refusal is audited
 * too. Concurrent first sign-ins of one identity are serialised by an advisory lock on it; account
 * creation takes the sign-up lock (the first account becomes the admin exactly once).
 */
export async function acceptSsoIdentity(
  db: Database,
  input: { claims: SsoClaims; passwordHash: string; adminEmails: string[]; clockOffsetMs: number },
  context: RequestContext,
): Promise<SsoAcceptance> {
  const { claims } = input;
  const method = { method: "sso", issuer: claims.issuer };
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(7310003, hashtext(${`${claims.issuer} ${claims.subject}`}))`);
      const [linked] = await tx
        .select({ ...sessionColumns, linkId: ssoLinks.id })
        .from(ssoLinks)
        .innerJoin(users, eq(users.id, ssoLinks.userId))
        .where(and(eq(ssoLinks.issuer, claims.issuer), eq(ssoLinks.subject, claims.subject)))
        .for("update", { of: users });
      let byEmail: (SessionUser & { linkedToIssuer: boolean }) | undefined;
      // Read for an unverified address too, only to name the account in the refusal's audit row
      // (its owner sees the attempt); ssoDecision never links or signs in by an unverified one.
      if (!linked && claims.email) {
        const [row] = await tx.select(sessionColumns).from(users).where(eq(users.email, claims.email)).for("update");
        if (row) {
          const [other] = await tx.select({ id: ssoLinks.id }).from(ssoLinks).where(and(eq(ssoLinks.userId, row.id), eq(ssoLinks.issuer, claims.issuer))).limit(1);
          byEmail = { ...row, linkedToIssuer: !!other };
        }
      }
      // Read only when an account may be created: the sign-up lock, the count and the settings.
      const mayCreate = !linked && !byEmail && claims.email && claims.emailVerified;
      if (mayCreate) await tx.execute(sql`select pg_advisory_xact_lock(7310001)`);
      const settings = await lockSignUpSettings(tx);
      const firstAccount = mayCreate ? ((await tx.select({ n: count() }).from(users)) as [{ n: number }])[0].n === 0 : false;
      const [invitation] = mayCreate
        ? await tx
            .select({ id: invitations.id, role: invitations.role, invitedBy: invitations.invitedBy })
            .from(invitations)
            .innerJoin(inviter, eq(inviter.id, invitations.invitedBy))
            .where(
              and(
                eq(invitations.email, claims.email!),
                isNull(invitations.acceptedAt),
                isNull(invitations.revokedAt),
                sql`${invitations.expiresAt} > ${sqlNow(input.clockOffsetMs)}`,
                eq(inviter.role, "admin"),
                isNull(inviter.suspendedAt),
                isNull(inviter.deletedAt),
              ),
            )
            .for("update", { of: invitations })
        : [];

      const decision = ssoDecision({
        claims,
        linked: linked ?? null,
        byEmail: byEmail ?? null,
        settings,
        firstAccount,
        invited: !!invitation,
      });

      switch (decision.kind) {
        case "refuse": {
          const userId = linked?.id ?? byEmail?.id ?? null;
          await recordAudit(tx, {
            actorId: null,
            action: "user.sign_in_failed",
            targetType: "user",
            targetId: userId,
            metadata: { ...method, reason: decision.reason, ...(claims.email ? { email: claims.email } : {}) },
            context,
          });
          return { ok: false, reason: decision.reason, userId };
        }
        case "sign_in": {
          await tx.update(ssoLinks).set({ lastSignInAt: sql`now()` }).where(eq(ssoLinks.id, linked!.linkId));
          await recordSignIn(tx, linked!.id, context, method);
          const { linkId: _linkId, ...user } = linked!;
          return { ok: true, user, how: "signed_in" };
        }
        case "link": {
          await tx.insert(ssoLinks).values({ userId: byEmail!.id, issuer: claims.issuer, subject: claims.subject, email: claims.email! });
          await recordAudit(tx, { actorId: byEmail!.id, action: "user.sso_linked", targetType: "user", targetId: byEmail!.id, metadata: { ...method, email: claims.email }, context });
          await recordSignIn(tx, byEmail!.id, context, method);
          const { linkedToIssuer: _l, ...user } = byEmail!;
          return { ok: true, user, how: "linked" };
        }
        case "create": {
          const email = claims.email!;
          const role = firstAccount || input.adminEmails.includes(email) ? "admin" : decision.viaInvitation ? invitation!.role : "member";
          const [user] = await tx
            .insert(users)
            .values({ email, name: claims.name ?? email.slice(0, email.indexOf("@")), passwordHash: input.passwordHash, role })
            .returning(sessionColumns);
          await tx.insert(ssoLinks).values({ userId: user!.id, issuer: claims.issuer, subject: claims.subject, email });
          if (decision.viaInvitation) {
            await tx.update(invitations).set({ acceptedAt: sql`now()`, acceptedBy: user!.id }).where(eq(invitations.id, invitation!.id));
            await recordAudit(tx, {
              actorId: user!.id,
              action: "invitation.accepted",
              targetType: "user",
              targetId: user!.id,
              metadata: { role, invitationId: invitation!.id, invitedBy: invitation!.invitedBy, method: "sso" },
              context,
            });
          } else {
            await recordAudit(tx, { actorId: user!.id, action: "user.signed_up", targetType: "user", targetId: user!.id, metadata: { role, ...method }, context });
          }
          await recordSignIn(tx, user!.id, context, method);
          return { ok: true, user: user!, how: "created" };
        }
      }
    });
  } catch (error) {
    // Another sign-in linked or created the same thing between our reads (only possible through a
    // different identity racing for the same email): refused, nothing written; trying again works.
    if (isUniqueViolation(error, "users_email_key") || isUniqueViolation(error, "sso_links_user_issuer_key")) {
      return { ok: false, reason: "sso_identity_conflict", userId: null };
    }
    throw error;
  }
}

/** An account's single sign-on identities (the Profile page and tests). */
export async function listSsoLinks(db: Database, userId: string): Promise<{ issuer: string; email: string; createdAt: Date; lastSignInAt: Date }[]> {
  return db
    .select({ issuer: ssoLinks.issuer, email: ssoLinks.email, createdAt: ssoLinks.createdAt, lastSignInAt: ssoLinks.lastSignInAt })
    .from(ssoLinks)
    .where(eq(ssoLinks.userId, userId))
    .orderBy(ssoLinks.createdAt);
}
