import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { auditEvents, passwordResetTokens, users } from "@/db/schema";
import { verifyPassword } from "@/lib/password";
import { MINUTE_MS } from "@/lib/time";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeUser, refusal } from "@/test/fixtures";
import { resetLinkIn, startInbox, type Inbox } from "@/test/smtp";
import { RESET_MAILS_PER_ACCOUNT_PER_HOUR, createResetLink, requestPasswordReset, resetByEmailAvailable, resetPassword } from "./recovery";

// Password reset through a real SMTP server on loopback (test/smtp.ts): the mail is sent by
// nodemailer and parsed by mailparser, as a production relay would receive it. Checklist A-01.

let handle: DbHandle;
let inbox: Inbox;
const env = { SMTP_URL: process.env.SMTP_URL, APP_URL: process.env.APP_URL };
beforeAll(async () => {
  handle = await openTestDb();
  inbox = await startInbox();
  process.env.SMTP_URL = inbox.url;
  process.env.APP_URL = "https://keysmith.example.test";
});
afterEach(() => {
  process.env.SMTP_URL = inbox.url;
  process.env.APP_URL = "https://keysmith.example.test";
});
afterAll(async () => {
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  await inbox?.stop();
  await handle?.close();
});

const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, "");
const NEW_PASSWORD = "a brand new passphrase";

async function mailedLink(email: string, clockOffsetMs = 0): Promise<string> {
  const since = inbox.to(email).length;
  await requestPasswordReset(handle.db, email, CONTEXT, clockOffsetMs);
  return resetLinkIn(await inbox.waitFor(email, { since }));
}

describe(`password reset (${TEST_DRIVER})`, () => {
  it("mails a link built from APP_URL that sets a new password once, ends every session, and is stored only as a digest", async () => {
    const user = await makeUser(handle.db);
    const link = await mailedLink(user.email);
    expect(link.startsWith("https://keysmith.example.test/reset-password#token=")).toBe(true);
    const mail = inbox.to(user.email).at(-1)!;
    expect(mail.subject).toBe("Reset your Keysmith password");
    const token = tokenOf(link);

    // The database holds a digest, never the token.
    const stored = await handle.db.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);
    const dump = await handle.db.execute(sql`select count(*)::int as n from password_reset_tokens where token_hash like ${`%${token}%`}`);
    expect((dump as unknown as { rows: { n: number }[] }).rows?.[0]?.n ?? 0).toBe(0);

    const before = (await handle.db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, user.id)))[0]!.v;
    await resetPassword(handle.db, token, NEW_PASSWORD, CONTEXT);
    const after = (await handle.db.select().from(users).where(eq(users.id, user.id)))[0]!;
    expect(await verifyPassword(after.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(after.sessionVersion).toBe(before + 1);

    // Single use.
    expect(await refusal(resetPassword(handle.db, token, "yet another passphrase", CONTEXT))).toBe("reset_link_invalid");
    const actions = (await handle.db.select({ a: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, user.id))).map((r) => r.a);
    expect(actions).toEqual(expect.arrayContaining(["user.reset_requested", "user.password_reset"]));
  });

  it("a link stops working after an hour, when a newer one is sent, and when the sessions end", async () => {
    const user = await makeUser(handle.db);
    // An hour and a minute later (the test clock shifts the database's now()).
    const late = await mailedLink(user.email);
    expect(await refusal(resetPassword(handle.db, tokenOf(late), NEW_PASSWORD, CONTEXT, 61 * MINUTE_MS))).toBe("reset_link_invalid");

    const first = await mailedLink(user.email);
    const second = await mailedLink(user.email);
    expect(await refusal(resetPassword(handle.db, tokenOf(first), NEW_PASSWORD, CONTEXT))).toBe("reset_link_invalid");

    // Signing out everywhere (as a password change does) moves the session version on: the link dies.
    await handle.db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, user.id));
    expect(await refusal(resetPassword(handle.db, tokenOf(second), NEW_PASSWORD, CONTEXT))).toBe("reset_link_invalid");
    const unchanged = (await handle.db.select().from(users).where(eq(users.id, user.id)))[0]!;
    expect(await verifyPassword(unchanged.passwordHash, NEW_PASSWORD)).toBe(false);
  });

  it("an unknown address, a malformed token or a made-up one change nothing and mail nothing", async () => {
    const before = inbox.messages.length;
    await requestPasswordReset(handle.db, "nobody-here@example.test", CONTEXT);
    expect(inbox.messages.length).toBe(before);
    for (const token of ["", "short", "x".repeat(47), `ksr_${"x".repeat(43)}`, `ksr_${"%".repeat(43)}`]) expect(await refusal(resetPassword(handle.db, token, NEW_PASSWORD, CONTEXT))).toBe("reset_link_invalid");
  });

  it(`an account gets at most ${RESET_MAILS_PER_ACCOUNT_PER_HOUR} mails an hour; more requests mail nothing`, async () => {
    const user = await makeUser(handle.db);
    const since = inbox.to(user.email).length;
    for (let i = 0; i < RESET_MAILS_PER_ACCOUNT_PER_HOUR + 2; i++) await requestPasswordReset(handle.db, user.email, { ...CONTEXT, ip: `198.51.100.${i}` });
    await inbox.waitFor(user.email, { since: since + RESET_MAILS_PER_ACCOUNT_PER_HOUR - 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.to(user.email).length - since).toBe(RESET_MAILS_PER_ACCOUNT_PER_HOUR);
  });

  it("without SMTP or without APP_URL nothing is mailed (a forged Host header could not aim the link)", async () => {
    const user = await makeUser(handle.db);
    const since = inbox.to(user.email).length;
    delete process.env.APP_URL;
    expect(resetByEmailAvailable()).toBe(false);
    await requestPasswordReset(handle.db, user.email, CONTEXT);
    process.env.APP_URL = "https://keysmith.example.test";
    delete process.env.SMTP_URL;
    expect(resetByEmailAvailable()).toBe(false);
    await requestPasswordReset(handle.db, user.email, CONTEXT);
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.to(user.email).length).toBe(since);
    expect(await handle.db.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id))).toEqual([]);
  });

  it("an admin's one-time link works like a mailed one and is audited as theirs; a member cannot make one", async () => {
    const admin = await makeUser(handle.db, { adminEmails: [] });
    await handle.db.update(users).set({ role: "admin" }).where(eq(users.id, admin.id));
    const member = await makeUser(handle.db);
    const target = await makeUser(handle.db);
    const fresh = (userId: string, authenticatedAt = new Date()) => ({ userId, context: CONTEXT, clockOffsetMs: 0, authenticatedAt });
    expect(await refusal(createResetLink(handle.db, fresh(member.id), target.id, "https://x.test"))).toBe("not_found");
    // A session last authenticated 16 minutes ago must confirm who it is first (step-up).
    expect(await refusal(createResetLink(handle.db, fresh(admin.id, new Date(Date.now() - 16 * 60_000)), target.id, "https://x.test"))).toBe("reauthentication_required");
    const { link, email } = await createResetLink(handle.db, fresh(admin.id), target.id, "https://keysmith.example.test");
    expect(email).toBe(target.email);
    await resetPassword(handle.db, tokenOf(link), NEW_PASSWORD, CONTEXT);
    const [made] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "user.reset_link_created"));
    expect(made).toMatchObject({ actorId: admin.id, targetId: target.id });
    expect(JSON.stringify(made)).not.toContain(tokenOf(link));
  });
});
