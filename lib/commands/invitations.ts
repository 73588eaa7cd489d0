import "server-only";
// The invitation commands: an admin invites an address with a role; the invitee accepts with a
// name and a password. Server actions are thin adapters over these. Like a reset link, an
// invitation's token exists in the mail (or the one response that shows it to the admin) and
// nowhere else: the database keeps its SHA-256 digest (db/queries/invitations.ts). An invitation
// works whatever the sign-up mode: that is its point.
import type { Database } from "@/db";
import { acceptInvitationRow, findUsableInvitation, insertInvitation, revokeInvitationRow } from "@/db/queries/invitations";
import type { SessionUser } from "@/db/queries/users";
import { digestIfLinkToken, linkTokenDigest, linkWithToken, newLinkToken } from "../accounts/link-token";
import { mayHavePassword } from "../accounts/sso-policy";
import { config } from "../config";
import { AppError } from "../errors";
import { mailedLink, mailedLinksAvailable, sendMail } from "../mail";
import { hashPassword } from "../password";
import { DAY_MS } from "../time";
import { uuidSchema } from "../validation/common";
import type { Actor } from "./actor";
import { passwordPolicy, ssoOnlyNow } from "./sso";

/** An invitation works for 7 days. */
export const INVITATION_LIFETIME_MS = 7 * DAY_MS;

/** The path of the page a link opens; the token rides in the fragment, which browsers never send to a server. */
export const INVITE_PATH = "/invite";

/** Anything not shaped like a token cannot be one (and is not hashed or looked up). */
function digestOrInvalid(token: unknown): string {
  const digest = digestIfLinkToken("ksi", token);
  if (!digest) throw new AppError("invitation_invalid");
  return digest;
}

/** Whether invitations go by mail here (lib/mail.ts: SMTP, and APP_URL to build the link from). */
export const invitationsByEmail = mailedLinksAvailable;

/** The mail with an invitation (plain text: nothing in it can be a lookalike button). */
export function invitationMail(to: string, inviter: string, role: "admin" | "member", link: string) {
  return {
    to,
    subject: "You are invited to Keysmith",
    text: [
      "Hello,",
      "",
      `${inviter} invited you to join Keysmith${role === "admin" ? " as an administrator" : ""}, where you create and manage API keys. To accept, open this link within 7 days and choose your name and password:`,
      "",
      link,
      "",
      "It works once. If you did not expect this invitation, ignore this mail: nothing happens unless the link is opened and accepted.",
    ].join("\n"),
  };
}

export type CreatedInvitation = {
  id: string;
  email: string;
  role: "admin" | "member";
  expiresAt: Date;
  /** True when an older open invitation to the address was revoked by this one. */
  replaced: boolean;
  /** Mailed to the invitee: the link is in the mail only. Otherwise `link` is shown once to the admin. */
  mailed: boolean;
  link?: string;
};

/**
 * An admin invites an address with a role. The admin's role is checked inside the transaction that
 * writes the invitation. The link is mailed when this deployment can mail; when it cannot (or the
 * relay refused the mail) it is returned, once, for the admin to pass on.
 */
export async function createInvitation(
  db: Database,
  actor: Actor & { email: string },
  input: { email: string; role: "admin" | "member" },
  origin: string,
): Promise<CreatedInvitation> {
  if (actor.key) throw new AppError("not_found");
  const token = newLinkToken("ksi");
  const made = await insertInvitation(
    db,
    { adminId: actor.userId, email: input.email, role: input.role, tokenHash: linkTokenDigest(token), lifetimeMs: INVITATION_LIFETIME_MS, clockOffsetMs: actor.clockOffsetMs },
    actor.context,
  );
  if (invitationsByEmail()) {
    const mailed = await sendMail("invitation", invitationMail(made.email, actor.email, made.role, mailedLink(INVITE_PATH, token)));
    if (mailed) return { ...made, mailed: true };
  }
  return { ...made, mailed: false, link: linkWithToken(origin, INVITE_PATH, token) };
}

/** An admin revokes an open invitation: its link stops working at once. */
export async function revokeInvitation(db: Database, actor: Actor, invitationId: unknown): Promise<{ email: string }> {
  if (actor.key) throw new AppError("not_found");
  const id = uuidSchema.safeParse(invitationId);
  if (!id.success) throw new AppError("invitation_not_found");
  return revokeInvitationRow(db, actor.userId, id.data, actor.context);
}

/**
 * What the page that accepts an invitation shows: the invited address and role (the token's holder
 * is its invitee), and how the invitee joins: with a password, or, while single sign-on is the only
 * way in, through the provider (the name to show), which spends the invitation (acceptSsoSignIn).
 */
export async function describeInvitation(
  db: Database,
  token: unknown,
  clockOffsetMs = 0,
): Promise<{ email: string; role: "admin" | "member"; expiresAt: Date; ssoProvider: string | null }> {
  const found = await findUsableInvitation(db, digestOrInvalid(token), clockOffsetMs);
  if (!found) throw new AppError("invitation_invalid");
  const oidc = config.oidc;
  const ssoOnly = await ssoOnlyNow(db);
  const password = mayHavePassword({ ssoOnly, email: found.email, role: found.role, breakGlassEmails: config.breakGlassEmails });
  return { ...found, ssoProvider: password ? null : oidc!.name };
}

/**
 * Accepts an invitation: the account is created with the invited address and role, in the
 * transaction that consumes the invitation. The caller then signs the new user in.
 */
export async function acceptInvitation(
  db: Database,
  input: { token: unknown; name: string; password: string },
  context: Actor["context"],
  clockOffsetMs = 0,
): Promise<SessionUser> {
  const tokenHash = digestOrInvalid(input.token);
  return acceptInvitationRow(db, { tokenHash, name: input.name, passwordHash: await hashPassword(input.password), clockOffsetMs, passwordPolicy: passwordPolicy() }, context);
}
