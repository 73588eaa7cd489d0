import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { listSsoLinks } from "@/db/queries/sso";
import { getSsoOnly } from "@/db/queries/settings";
import { createUser } from "@/db/queries/users";
import { appSettings, auditEvents, invitations, ssoLinks, users } from "@/db/schema";
import { checkCredentials } from "@/lib/auth/credentials";
import { AppError } from "@/lib/errors";
import { hashPassword, verifyPassword } from "@/lib/password";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeUser } from "@/test/fixtures";
import { startInbox, type Inbox } from "@/test/smtp";
import type { Actor } from "./actor";
import { acceptInvitation, createInvitation, describeInvitation } from "./invitations";
import { createResetLink, requestPasswordReset, resetPassword } from "./recovery";
import { changeSsoOnly } from "./settings";
import { signUp } from "./sign-up";
import { acceptSsoSignIn } from "./sso";

// Single sign-on's decision in the database: who an identity is (link by issuer and subject, a
// verified email once, just-in-time accounts where sign-up allows), refusals audited, and SSO-only
// mode with its break-glass exception (checklist A-06). The OIDC protocol itself (state, nonce,
// PKCE, the ID token's issuer and audience) is Auth.js's, walked in e2e/sso.spec.ts.

const ISSUER = "https://idp.example.test";
const OIDC_ENV = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "BREAK_GLASS_EMAILS", "ADMIN_EMAILS", "SMTP_URL", "APP_URL"] as const;
const saved = Object.fromEntries(OIDC_ENV.map((k) => [k, process.env[k]]));
let handle: DbHandle;
let admin: { id: string; email: string };
let inbox: Inbox;

beforeAll(async () => {
  handle = await openTestDb();
  admin = await makeUser(handle.db);
  inbox = await startInbox();
});
afterEach(async () => {
  for (const k of OIDC_ENV) delete process.env[k];
  await handle.db.update(appSettings).set({ signUpMode: "open", signUpDomains: [], ssoOnly: false }).where(eq(appSettings.id, 1));
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  await inbox?.stop();
  await handle?.close();
});

let n = 0;
const unique = (label: string) => `${label}-${++n}-${Math.random().toString(36).slice(2, 8)}`;
const profile = (over: Record<string, unknown> = {}) => ({ iss: ISSUER, sub: unique("sub"), email: `${unique("u")}@example.test`, email_verified: true, name: "Sam Sso", ...over });
const configureOidc = () => {
  process.env.OIDC_ISSUER = ISSUER;
  process.env.OIDC_CLIENT_ID = "keysmith";
  process.env.OIDC_CLIENT_SECRET = "a client secret";
};
const actorOf = (user: { id: string }): Actor => ({ userId: user.id, context: CONTEXT, clockOffsetMs: 0, authenticatedAt: new Date() });
const auditOf = (userId: string) => handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, userId));

describe(`acceptSsoSignIn (${TEST_DRIVER})`, () => {
  it("creates an account just in time with a password nobody knows, links it, and matches the subject next time whatever the email says", async () => {
    const claims = profile();
    const first = await acceptSsoSignIn(handle.db, claims, CONTEXT);
    expect(first).toMatchObject({ ok: true, how: "created", user: { email: claims.email, name: "Sam Sso", role: "member" } });
    if (!first.ok) throw new Error("refused");
    const [row] = await handle.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, first.user.id));
    expect(row!.passwordHash).toMatch(/^\$argon2/);
    expect(await verifyPassword(row!.passwordHash, "")).toBe(false);
    expect(await listSsoLinks(handle.db, first.user.id)).toMatchObject([{ issuer: ISSUER, email: claims.email }]);

    const second = await acceptSsoSignIn(handle.db, { ...claims, email: "someone-else@example.test", email_verified: false }, CONTEXT);
    expect(second).toMatchObject({ ok: true, how: "signed_in", user: { id: first.user.id, email: claims.email } });
    const actions = (await auditOf(first.user.id)).map((e) => [e.action, (e.metadata as { method?: string }).method]);
    expect(actions).toEqual(expect.arrayContaining([["user.signed_up", "sso"], ["user.signed_in", "sso"]]));
  });

  it("links a password account by verified email once; an unverified email is refused, audited and links nothing", async () => {
    const owner = await makeUser(handle.db);
    const attacker = profile({ email: owner.email, email_verified: false });
    expect(await acceptSsoSignIn(handle.db, attacker, CONTEXT)).toEqual({ ok: false, reason: "sso_email_unverified", userId: owner.id });
    expect(await acceptSsoSignIn(handle.db, { ...attacker, email_verified: undefined }, CONTEXT)).toMatchObject({ ok: false, reason: "sso_email_unverified" });
    expect(await listSsoLinks(handle.db, owner.id)).toEqual([]);
    const refusals = (await auditOf(owner.id)).filter((e) => e.action === "user.sign_in_failed");
    expect(refusals.map((e) => e.metadata)).toEqual(expect.arrayContaining([expect.objectContaining({ method: "sso", reason: "sso_email_unverified", email: owner.email })]));
    expect(refusals.every((e) => e.actorId === null)).toBe(true);

    const own = profile({ email: owner.email.toUpperCase() });
    expect(await acceptSsoSignIn(handle.db, own, CONTEXT)).toMatchObject({ ok: true, how: "linked", user: { id: owner.id } });
    expect((await auditOf(owner.id)).map((e) => e.action)).toContain("user.sso_linked");
    // A second identity from the same issuer with the same verified address is not added.
    expect(await acceptSsoSignIn(handle.db, profile({ email: owner.email }), CONTEXT)).toMatchObject({ ok: false, reason: "sso_identity_conflict" });
    expect(await listSsoLinks(handle.db, owner.id)).toHaveLength(1);
  });

  it("a subject linked to one account wins over an email that names another", async () => {
    const a = profile();
    const first = await acceptSsoSignIn(handle.db, a, CONTEXT);
    const other = await makeUser(handle.db);
    const again = await acceptSsoSignIn(handle.db, { ...a, email: other.email }, CONTEXT);
    expect(again).toMatchObject({ ok: true, user: { id: first.ok ? first.user.id : "" } });
    expect(await listSsoLinks(handle.db, other.id)).toEqual([]);
  });

  it("the same subject at another issuer is another identity", async () => {
    const a = profile();
    const first = await acceptSsoSignIn(handle.db, a, CONTEXT);
    const foreign = await acceptSsoSignIn(handle.db, { ...a, iss: "https://evil.example.test", email: `${unique("x")}@example.test` }, CONTEXT);
    expect(foreign.ok && first.ok && foreign.user.id !== first.user.id).toBe(true);
  });

  it("refuses suspended and deleted accounts, and a token without issuer or subject", async () => {
    const a = profile();
    const made = await acceptSsoSignIn(handle.db, a, CONTEXT);
    if (!made.ok) throw new Error("refused");
    await handle.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, made.user.id));
    expect(await acceptSsoSignIn(handle.db, a, CONTEXT)).toMatchObject({ ok: false, reason: "sso_account_suspended" });
    await handle.db.update(users).set({ suspendedAt: null, deletedAt: new Date(), email: `deleted-${made.user.id}@deleted.invalid` }).where(eq(users.id, made.user.id));
    expect(await acceptSsoSignIn(handle.db, a, CONTEXT)).toMatchObject({ ok: false, reason: "sso_account_deleted" });
    expect(await acceptSsoSignIn(handle.db, { ...a, sub: undefined }, CONTEXT)).toMatchObject({ ok: false, reason: "sso_claims_invalid" });
  });

  it("obeys the sign-up mode for new accounts; an invitation is spent in invite-only mode, with its role", async () => {
    await handle.db.update(appSettings).set({ signUpMode: "invite_only" }).where(eq(appSettings.id, 1));
    const invitee = profile();
    expect(await acceptSsoSignIn(handle.db, invitee, CONTEXT)).toMatchObject({ ok: false, reason: "sso_sign_up_invite_only", userId: null });
    const invitation = await createInvitation(handle.db, { ...actorOf(admin), email: admin.email }, { email: invitee.email, role: "admin" }, "https://keysmith.example.test");
    const joined = await acceptSsoSignIn(handle.db, invitee, CONTEXT);
    expect(joined).toMatchObject({ ok: true, how: "created", user: { email: invitee.email, role: "admin" } });
    const [row] = await handle.db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row!.acceptedAt).not.toBeNull();
    expect(row!.acceptedBy).toBe(joined.ok ? joined.user.id : null);

    await handle.db.update(appSettings).set({ signUpMode: "closed" }).where(eq(appSettings.id, 1));
    const late = profile();
    await createInvitation(handle.db, { ...actorOf(admin), email: admin.email }, { email: late.email, role: "member" }, "https://keysmith.example.test");
    expect(await acceptSsoSignIn(handle.db, late, CONTEXT)).toMatchObject({ ok: false, reason: "sso_sign_up_closed" });
    await handle.db.update(appSettings).set({ signUpMode: "domains", signUpDomains: ["allowed.test"] }).where(eq(appSettings.id, 1));
    expect(await acceptSsoSignIn(handle.db, profile(), CONTEXT)).toMatchObject({ ok: false, reason: "sso_email_domain_not_allowed" });
    expect(await acceptSsoSignIn(handle.db, profile({ email: `${unique("d")}@allowed.test` }), CONTEXT)).toMatchObject({ ok: true, how: "created" });
  });

  it("spends an open invitation, with its role, in open mode too", async () => {
    const invitee = profile();
    const invitation = await createInvitation(handle.db, { ...actorOf(admin), email: admin.email }, { email: invitee.email, role: "admin" }, "https://keysmith.example.test");
    expect(await acceptSsoSignIn(handle.db, invitee, CONTEXT)).toMatchObject({ ok: true, how: "created", user: { email: invitee.email, role: "admin" } });
    const [row] = await handle.db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row!.acceptedAt).not.toBeNull();
  });

  it("many parallel first sign-ins of one identity make one account and one link", async () => {
    const a = profile();
    const results = await Promise.all(Array.from({ length: 8 }, () => acceptSsoSignIn(handle.db, a, CONTEXT)));
    const ids = new Set(results.map((r) => (r.ok ? r.user.id : r.reason)));
    expect(ids.size).toBe(1);
    const links = await handle.db.select().from(ssoLinks).where(and(eq(ssoLinks.issuer, ISSUER), eq(ssoLinks.subject, a.sub)));
    expect(links).toHaveLength(1);
    const [{ n: accounts }] = (await handle.db.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(users.email, a.email))) as [{ n: number }];
    expect(accounts).toBe(1);
  });
});

describe(`single sign-on only (${TEST_DRIVER})`, () => {
  it("cannot be turned on without OIDC configured; is audited; only an admin may change it", async () => {
    const refused = await changeSsoOnly(handle.db, actorOf(admin), true).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("sso_not_configured");
    expect(await getSsoOnly(handle.db)).toBe(false);
    configureOidc();
    expect(await changeSsoOnly(handle.db, actorOf(admin), true)).toBe(true);
    expect(await getSsoOnly(handle.db)).toBe(true);
    const member = await makeUser(handle.db);
    expect(((await changeSsoOnly(handle.db, actorOf(member), false).catch((e: unknown) => e)) as AppError).code).toBe("not_found");
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "settings.sso_only_changed"));
    expect(events.map((e) => e.metadata)).toContainEqual({ from: false, to: true });
  });

  it("refuses passwords but a break-glass admin's (audited loudly); applies only while OIDC is configured", async () => {
    const password = "a password for sso only mode";
    const passwordHash = await hashPassword(password);
    const rootEmail = `${unique("root")}@example.test`;
    const root = await createUser(handle.db, { email: rootEmail, name: "Root", passwordHash, adminEmails: [rootEmail] }, CONTEXT);
    const memberEmail = `${unique("member")}@example.test`;
    await createUser(handle.db, { email: memberEmail, name: "M", passwordHash, adminEmails: [] }, CONTEXT);
    const ip = { ip: "192.0.2.77", userAgent: "vitest" };
    configureOidc();
    process.env.BREAK_GLASS_EMAILS = `${rootEmail}, ${memberEmail}`;
    await changeSsoOnly(handle.db, actorOf(admin), true);

    expect(await checkCredentials(handle.db, { email: admin.email, password }, ip)).toEqual({ ok: false, reason: "password_off" });
    // Listed, right password, but a member: no exception.
    expect(await checkCredentials(handle.db, { email: memberEmail, password }, ip)).toEqual({ ok: false, reason: "password_off" });
    expect(await checkCredentials(handle.db, { email: rootEmail, password: "wrong password entirely" }, ip)).toEqual({ ok: false, reason: "invalid" });
    expect(await checkCredentials(handle.db, { email: rootEmail, password }, ip)).toMatchObject({ ok: true, user: { id: root.id } });
    expect((await auditOf(root.id)).map((e) => e.action)).toContain("user.break_glass_sign_in");

    // OIDC removed from the environment: passwords work again (nobody is locked out).
    delete process.env.OIDC_ISSUER;
    expect(await checkCredentials(handle.db, { email: memberEmail, password }, ip)).toMatchObject({ ok: true });
  });

  it("sends no reset mail but to a break-glass admin", async () => {
    process.env.SMTP_URL = inbox.url;
    process.env.APP_URL = "https://keysmith.example.test";
    const passwordHash = await hashPassword("whatever it is here");
    const rootEmail = `${unique("root")}@example.test`;
    await createUser(handle.db, { email: rootEmail, name: "Root", passwordHash, adminEmails: [rootEmail] }, CONTEXT);
    const memberEmail = `${unique("member")}@example.test`;
    await createUser(handle.db, { email: memberEmail, name: "M", passwordHash, adminEmails: [] }, CONTEXT);
    configureOidc();
    process.env.BREAK_GLASS_EMAILS = rootEmail;
    await changeSsoOnly(handle.db, actorOf(admin), true);
    await requestPasswordReset(handle.db, memberEmail, { ip: "192.0.2.78", userAgent: "vitest" });
    await requestPasswordReset(handle.db, rootEmail, { ip: "192.0.2.78", userAgent: "vitest" });
    // Both requests finished before this: the one mail there is went to the break-glass admin.
    expect((await inbox.waitFor(rootEmail, { since: 0 })).subject).toBe("Reset your Keysmith password");
    expect(inbox.to(memberEmail)).toEqual([]);
  });

  it("gives no account a password but a break-glass admin's: an admin's reset link, a link made before, an invitation", async () => {
    const passwordHash = await hashPassword("whatever it is here");
    const rootEmail = `${unique("root")}@example.test`;
    const root = await createUser(handle.db, { email: rootEmail, name: "Root", passwordHash, adminEmails: [rootEmail] }, CONTEXT);
    const member = await createUser(handle.db, { email: `${unique("member")}@example.test`, name: "M", passwordHash, adminEmails: [] }, CONTEXT);
    const origin = "https://keysmith.example.test";
    const tokenOf = (link: string) => /ksr_[A-Za-z0-9_-]{43}/.exec(link)![0];
    const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError ? e.code : String(e)));
    configureOidc();
    process.env.BREAK_GLASS_EMAILS = rootEmail;
    // A link made while passwords still counted, and invitations, before single sign-on becomes the only way in.
    const early = tokenOf((await createResetLink(handle.db, actorOf(admin), member.id, origin)).link);
    const memberInvite = await createInvitation(handle.db, { ...actorOf(admin), email: admin.email }, { email: `${unique("inv")}@example.test`, role: "member" }, origin);
    const rootInviteEmail = `${unique("inv-root")}@example.test`;
    process.env.BREAK_GLASS_EMAILS = `${rootEmail},${rootInviteEmail}`;
    const rootInvite = await createInvitation(handle.db, { ...actorOf(admin), email: admin.email }, { email: rootInviteEmail, role: "admin" }, origin);
    const memberToken = /ksi_[A-Za-z0-9_-]{43}/.exec(memberInvite.link!)![0];
    const rootToken = /ksi_[A-Za-z0-9_-]{43}/.exec(rootInvite.link!)![0];
    await changeSsoOnly(handle.db, actorOf(admin), true);

    expect(await codeOf(createResetLink(handle.db, actorOf(admin), member.id, origin))).toBe("password_sign_in_off");
    expect(await codeOf(resetPassword(handle.db, early, "a new password nobody can use", CONTEXT))).toBe("password_sign_in_off");
    const [after] = await handle.db.select({ passwordHash: users.passwordHash, sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, member.id));
    expect(after!.passwordHash).toBe(passwordHash);
    expect(await codeOf(createResetLink(handle.db, actorOf(admin), root.id, origin))).toBe("ok");

    expect(await describeInvitation(handle.db, memberToken)).toMatchObject({ role: "member", ssoProvider: "single sign-on" });
    expect(await codeOf(acceptInvitation(handle.db, { token: memberToken, name: "New", password: "a password nobody can use" }, CONTEXT))).toBe("password_sign_in_off");
    const [stillOpen] = await handle.db.select().from(invitations).where(eq(invitations.id, memberInvite.id));
    expect(stillOpen!.acceptedAt).toBeNull();
    expect(await handle.db.select().from(users).where(eq(users.email, memberInvite.email))).toEqual([]);
    // A break-glass admin's invitation still takes a password.
    expect(await describeInvitation(handle.db, rootToken)).toMatchObject({ role: "admin", ssoProvider: null });
    expect(await acceptInvitation(handle.db, { token: rootToken, name: "Root 2", password: "a break glass password" }, CONTEXT)).toMatchObject({ email: rootInviteEmail, role: "admin" });

    // Turned off again: the early link works (it was never spent).
    await changeSsoOnly(handle.db, actorOf(admin), false);
    expect(await resetPassword(handle.db, early, "a new password that counts", CONTEXT)).toEqual({ email: member.email });
  });

  it("refuses a password sign-up but a break-glass admin's, with mail (before anything is mailed) or without", async () => {
    configureOidc();
    const rootEmail = `${unique("root")}@example.test`;
    process.env.BREAK_GLASS_EMAILS = rootEmail;
    process.env.ADMIN_EMAILS = rootEmail;
    await changeSsoOnly(handle.db, actorOf(admin), true);
    const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError ? e.code : String(e)));
    const deferred: (() => Promise<void>)[] = [];
    const defer = (task: () => Promise<void>) => void deferred.push(task);
    const member = `${unique("joiner")}@example.test`;

    // Without mail: the account would be made at once; the transaction that would make it refuses.
    expect(await codeOf(signUp(handle.db, { name: "J", email: member, password: "a password nobody can use" }, CONTEXT, 0, defer))).toBe("password_sign_in_off");
    expect(await handle.db.select().from(users).where(eq(users.email, member))).toEqual([]);
    // With mail: refused in the answer, nothing deferred, nothing mailed.
    process.env.SMTP_URL = inbox.url;
    process.env.APP_URL = "https://keysmith.example.test";
    expect(await codeOf(signUp(handle.db, { name: "J", email: member, password: "a password nobody can use" }, CONTEXT, 0, defer))).toBe("password_sign_in_off");
    expect(deferred).toHaveLength(0);
    // The break-glass admin's address may still sign up with a password.
    delete process.env.SMTP_URL;
    expect(await signUp(handle.db, { name: "Root", email: rootEmail, password: "a break glass password" }, CONTEXT, 0, defer)).toMatchObject({ created: { email: rootEmail, role: "admin" } });
  });
});
