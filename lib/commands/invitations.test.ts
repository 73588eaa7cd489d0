import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { listOpenInvitations } from "@/db/queries/invitations";
import { getSignUpSettings } from "@/db/queries/settings";
import { createUser } from "@/db/queries/users";
import { appSettings, auditEvents, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/password";
import { DAY_MS, MINUTE_MS } from "@/lib/time";
import { TEST_DRIVER, openTestDb, queryRows } from "@/test/db";
import { CONTEXT, makeUser, refusal } from "@/test/fixtures";
import { startInbox, type Inbox } from "@/test/smtp";
import type { Actor } from "./actor";
import { INVITATION_LIFETIME_MS, acceptInvitation, createInvitation, describeInvitation, revokeInvitation } from "./invitations";
import { changeSignUpSettings } from "./settings";

// Who may join: sign-up modes decided inside the sign-up transaction, and invitations (single use,
// 7 days, revocable, replaced by a newer one, stored as digests), mailed through a real SMTP server
// on loopback (test/smtp.ts). Checklist.

let handle: DbHandle;
let inbox: Inbox;
let admin: { id: string; email: string };
const env = { SMTP_URL: process.env.SMTP_URL, APP_URL: process.env.APP_URL };
const ORIGIN = "https://admin-request.example.test";

beforeAll(async () => {
  handle = await openTestDb();
  inbox = await startInbox();
  // The first account of the empty database: the admin.
  admin = await makeUser(handle.db);
  delete process.env.SMTP_URL;
  delete process.env.APP_URL;
});
afterEach(async () => {
  delete process.env.SMTP_URL;
  delete process.env.APP_URL;
  await handle.db.update(appSettings).set({ signUpMode: "open", signUpDomains: [] }).where(eq(appSettings.id, 1));
});
afterAll(async () => {
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  await inbox?.stop();
  await handle?.close();
});

const actorOf = (user: { id: string; email: string }, clockOffsetMs = 0): Actor & { email: string } => ({ userId: user.id, email: user.email, context: CONTEXT, clockOffsetMs, authenticatedAt: new Date(Date.now() + clockOffsetMs) });
const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, "");
const freshEmail = (label: string) => `${label}-${Math.random().toString(36).slice(2)}@example.test`;
const PASSWORD = "a passphrase to join with";

async function invite(email: string, role: "admin" | "member" = "member", by = admin) {
  const made = await createInvitation(handle.db, actorOf(by), { email, role }, ORIGIN);
  return { ...made, token: tokenOf(made.link!) };
}
const signUp = (email: string) =>
  createUser(handle.db, { email, name: "Signer", passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$dGVzdA$dGVzdA", adminEmails: [] }, CONTEXT);
const setMode = (mode: "open" | "domains" | "invite_only" | "closed", domains: string[] = []) => changeSignUpSettings(handle.db, actorOf(admin), { mode, domains });

describe(`invitations (${TEST_DRIVER})`, () => {
  it("without mail, shows the link once; the database keeps only a digest; accepting creates the account with the role, once", async () => {
    const email = freshEmail("invitee");
    const made = await invite(email, "admin");
    expect(made.mailed).toBe(false);
    expect(made.link).toMatch(new RegExp(`^${ORIGIN}/invite#token=ksi_[A-Za-z0-9_-]{43}$`));
    expect(made.expiresAt.getTime() - Date.now()).toBeGreaterThan(INVITATION_LIFETIME_MS - MINUTE_MS);
    expect(made.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(INVITATION_LIFETIME_MS + MINUTE_MS);

    // No table holds the token, or any 16 characters of it.
    const body = made.token.slice(4);
    for (const { t } of (await queryRows(handle.db, sql`select table_name as t from information_schema.tables where table_schema = 'public'`)) as { t: string }[]) {
      const rows = await queryRows(handle.db, sql.raw(`select x::text as row from "${t}" x`));
      for (const { row } of rows as { row: string }[]) expect(row.includes(body.slice(0, 16)) || row.includes(body.slice(-16)), `${t} holds the token`).toBe(false);
    }

    expect(await describeInvitation(handle.db, made.token)).toMatchObject({ email, role: "admin" });
    const user = await acceptInvitation(handle.db, { token: made.token, name: "Ivy Invitee", password: PASSWORD }, CONTEXT);
    expect(user).toMatchObject({ email, name: "Ivy Invitee", role: "admin" });
    const [row] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(row!.passwordHash, PASSWORD)).toBe(true);

    // Single use.
    expect(await refusal(acceptInvitation(handle.db, { token: made.token, name: "Again", password: PASSWORD }, CONTEXT))).toBe("invitation_invalid");
    expect(await refusal(describeInvitation(handle.db, made.token))).toBe("invitation_invalid");
    const audit = await handle.db.select({ action: auditEvents.action, actorId: auditEvents.actorId }).from(auditEvents).where(eq(auditEvents.targetId, made.id));
    expect(audit).toEqual([{ action: "invitation.created", actorId: admin.id }]);
    const [accepted] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "invitation.accepted"));
    expect(accepted).toMatchObject({ actorId: user.id, targetId: user.id });
    expect(JSON.stringify(accepted)).not.toContain(made.token);
  });

  it("mails the link built from APP_URL when mail is set up, and returns no link", async () => {
    process.env.SMTP_URL = inbox.url;
    process.env.APP_URL = "https://keysmith.example.test/";
    const email = freshEmail("mailed");
    const made = await createInvitation(handle.db, actorOf(admin), { email, role: "member" }, ORIGIN);
    expect(made.mailed).toBe(true);
    expect(made.link).toBeUndefined();
    // Already delivered: createInvitation awaits the relay's answer.
    const mail = await inbox.waitFor(email, { since: 0 });
    expect(mail.subject).toBe("You are invited to Keysmith");
    expect(mail.text).toContain(`${admin.email} invited you`);
    const link = /https:\/\/keysmith\.example\.test\/invite#token=ksi_[A-Za-z0-9_-]{43}/.exec(mail.text ?? "")?.[0];
    expect(link).toBeTruthy();
    expect(await describeInvitation(handle.db, tokenOf(link!))).toMatchObject({ email, role: "member" });
  });

  it("expires after 7 days", async () => {
    const made = await invite(freshEmail("late"));
    expect(await describeInvitation(handle.db, made.token, 7 * DAY_MS - MINUTE_MS)).toBeTruthy();
    expect(await refusal(describeInvitation(handle.db, made.token, 7 * DAY_MS + MINUTE_MS))).toBe("invitation_invalid");
    expect(await refusal(acceptInvitation(handle.db, { token: made.token, name: "Late", password: PASSWORD }, CONTEXT, 7 * DAY_MS + MINUTE_MS))).toBe("invitation_invalid");
    const listed = (await listOpenInvitations(handle.db, 7 * DAY_MS + MINUTE_MS)).rows.find((r) => r.id === made.id);
    expect(listed?.expired).toBe(true);
    // Still usable now (the test clock moved only those requests).
    await acceptInvitation(handle.db, { token: made.token, name: "On time", password: PASSWORD }, CONTEXT);
  });

  it("a revoked invitation, or one replaced by a newer invitation to the address, no longer works", async () => {
    const email = freshEmail("revoked");
    const first = await invite(email);
    expect((await listOpenInvitations(handle.db)).rows.map((r) => r.id)).toContain(first.id);
    await revokeInvitation(handle.db, actorOf(admin), first.id);
    expect(await refusal(acceptInvitation(handle.db, { token: first.token, name: "R", password: PASSWORD }, CONTEXT))).toBe("invitation_invalid");
    expect(await refusal(revokeInvitation(handle.db, actorOf(admin), first.id))).toBe("invitation_not_found");
    expect(await refusal(revokeInvitation(handle.db, actorOf(admin), "not-a-uuid"))).toBe("invitation_not_found");
    expect((await listOpenInvitations(handle.db)).rows.map((r) => r.id)).not.toContain(first.id);

    const older = await invite(email, "admin");
    const newer = await invite(email, "member");
    expect(newer.replaced).toBe(true);
    expect(await refusal(describeInvitation(handle.db, older.token))).toBe("invitation_invalid");
    const open = (await listOpenInvitations(handle.db)).rows.filter((r) => r.email === email);
    expect(open.map((r) => r.id)).toEqual([newer.id]);
    const user = await acceptInvitation(handle.db, { token: newer.token, name: "Newer", password: PASSWORD }, CONTEXT);
    expect(user.role).toBe("member");
    const actions = (await handle.db.select({ a: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, first.id))).map((r) => r.a);
    expect(actions).toEqual(["invitation.created", "invitation.revoked"]);
  });

  it("is refused when the address meanwhile has an account; an address with one cannot be invited", async () => {
    const email = freshEmail("taken");
    const made = await invite(email);
    await signUp(email);
    expect(await refusal(acceptInvitation(handle.db, { token: made.token, name: "Late", password: PASSWORD }, CONTEXT))).toBe("invitation_invalid");
    expect(await handle.db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
    expect(await refusal(invite(email))).toBe("invitee_has_account");
  });

  it("only an active admin invites or revokes; an invitation dies with its inviter's admin role", async () => {
    const member = await makeUser(handle.db);
    expect(await refusal(invite(freshEmail("x"), "admin", member))).toBe("not_found");
    const made = await invite(freshEmail("y"));
    expect(await refusal(revokeInvitation(handle.db, actorOf(member), made.id))).toBe("not_found");
    const keyActor = { ...actorOf(admin), key: { id: "k", access: "full", scopes: [], expiresAt: null } } as unknown as Actor & { email: string };
    expect(await refusal(createInvitation(handle.db, keyActor, { email: freshEmail("k"), role: "member" }, ORIGIN))).toBe("not_found");

    const second = await makeUser(handle.db);
    await handle.db.update(users).set({ role: "admin" }).where(eq(users.id, second.id));
    const vouched = await invite(freshEmail("z"), "admin", second);
    await handle.db.update(users).set({ role: "member" }).where(eq(users.id, second.id));
    expect(await refusal(describeInvitation(handle.db, vouched.token))).toBe("invitation_invalid");
    expect(await refusal(acceptInvitation(handle.db, { token: vouched.token, name: "Z", password: PASSWORD }, CONTEXT))).toBe("invitation_invalid");
    expect((await listOpenInvitations(handle.db)).rows.find((r) => r.id === vouched.id)?.vouched).toBe(false);
  });

  it("refuses tokens that are malformed or made up, without a lookup", async () => {
    for (const token of [undefined, "", "short", `ksi_${"x".repeat(43)}`, `ksr_${"x".repeat(43)}`, `ksi_${"%".repeat(43)}`, 42]) {
      expect(await refusal(describeInvitation(handle.db, token))).toBe("invitation_invalid");
      expect(await refusal(acceptInvitation(handle.db, { token, name: "N", password: PASSWORD }, CONTEXT))).toBe("invitation_invalid");
    }
  });
});

describe(`sign-up modes (${TEST_DRIVER})`, () => {
  it("open lets anyone sign up; invite-only and closed refuse everyone, known address or not, and an invitation still works", async () => {
    await signUp(freshEmail("open"));
    const existing = await makeUser(handle.db);
    for (const mode of ["invite_only", "closed"] as const) {
      await setMode(mode);
      const code = mode === "closed" ? "sign_up_closed" : "sign_up_invite_only";
      // The same refusal for an address with an account as for a new one.
      expect(await refusal(signUp(freshEmail(mode)))).toBe(code);
      expect(await refusal(signUp(existing.email))).toBe(code);
      const made = await invite(freshEmail(`invited-${mode}`));
      expect((await acceptInvitation(handle.db, { token: made.token, name: "Invited", password: PASSWORD }, CONTEXT)).role).toBe("member");
    }
    expect(await getSignUpSettings(handle.db)).toEqual({ mode: "closed", domains: [] });
    const changes = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "settings.sign_up_changed"));
    expect(changes.at(-1)).toMatchObject({ actorId: admin.id, metadata: { from: "invite_only", to: "closed" } });
  });

  it("domains admits the listed domains exactly, and nothing that merely looks like them", async () => {
    await setMode("domains", ["example.com", "corp.example.org"]);
    await signUp(`ann-${Date.now()}@example.com`);
    await signUp(`bob-${Date.now()}@corp.example.org`);
    for (const email of [`eve-${Date.now()}@evil-example.com`, `eve-${Date.now()}@example.com.evil.test`, `eve-${Date.now()}@sub.example.com`]) {
      expect(await refusal(signUp(email)), email).toBe("email_domain_not_allowed");
    }
    expect(await refusal(setMode("domains", []))).toBe("validation_failed");
  });

  // PGlite is one connection: two transactions cannot overlap there.
  it.skipIf(TEST_DRIVER === "pglite")("a sign-up that starts while the mode changes waits for the change and obeys it", async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    let pending: Promise<string> | undefined;
    let early: string | undefined;
    await handle.db.transaction(async (tx) => {
      await tx.update(appSettings).set({ signUpMode: "closed" }).where(eq(appSettings.id, 1));
      pending = signUp(freshEmail("racer")).then(
        () => "created",
        (e: unknown) => (e instanceof AppError ? e.code : String(e)),
      );
      await sleep(400);
      early = await Promise.race([pending, sleep(0).then(() => "still waiting")]);
    });
    expect(early).toBe("still waiting");
    expect(await pending).toBe("sign_up_closed");
  });

  it("only an admin changes the mode", async () => {
    const member = await makeUser(handle.db);
    expect(await refusal(changeSignUpSettings(handle.db, actorOf(member), { mode: "closed", domains: [] }))).toBe("not_found");
    expect((await getSignUpSettings(handle.db)).mode).toBe("open");
  });

  it("the first account of an empty database is always created, whatever the mode", async () => {
    const fresh = await openTestDb();
    try {
      await fresh.db.update(appSettings).set({ signUpMode: "closed" }).where(eq(appSettings.id, 1));
      const first = await createUser(fresh.db, { email: "first@nowhere.test", name: "First", passwordHash: "x", adminEmails: [] }, CONTEXT);
      expect(first.role).toBe("admin");
      const second = await createUser(fresh.db, { email: "second@nowhere.test", name: "Second", passwordHash: "x", adminEmails: [] }, CONTEXT).catch((e: unknown) => e);
      expect((second as AppError).code).toBe("sign_up_closed");
    } finally {
      await fresh.close();
    }
  });
});
