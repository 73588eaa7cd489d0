import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { emailChanges, users } from "@/db/schema";
import { hashPassword } from "@/lib/password";
import { HOUR_MS } from "@/lib/time";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeUser, refusal } from "@/test/fixtures";
import { startInbox, type Inbox } from "@/test/smtp";
import type { Actor } from "./actor";
import { confirmEmailChange, requestEmailChange } from "./email-change";

// Changing an account's email through a real SMTP server on loopback: the link goes to the new
// address, a notice to the old one, and nothing changes until the link is opened.

let handle: DbHandle;
let inbox: Inbox;
const env = { SMTP_URL: process.env.SMTP_URL, APP_URL: process.env.APP_URL };
const PASSWORD = "the current passphrase";
beforeAll(async () => {
  handle = await openTestDb();
  inbox = await startInbox();
  process.env.SMTP_URL = inbox.url;
  process.env.APP_URL = "https://keysmith.example.test";
});
afterAll(async () => {
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  await inbox?.stop();
  await handle?.close();
});

async function account() {
  const user = await makeUser(handle.db);
  await handle.db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.id));
  const actor: Actor = { userId: user.id, context: CONTEXT, clockOffsetMs: 0 };
  return { user, actor };
}
const tokenIn = async (to: string, since: number) => /#token=(kse_[A-Za-z0-9_-]{43})/.exec((await inbox.waitFor(to, { since })).text ?? "")![1]!;
const emailOf = async (id: string) => (await handle.db.select({ e: users.email }).from(users).where(eq(users.id, id)))[0]!.e;

describe(`email change (${TEST_DRIVER})`, () => {
  it("mails the new address a link and the old one a notice; the email changes once, when the link is opened", async () => {
    const { user, actor } = await account();
    const to = `moved-${user.id}@example.test`;
    const [sinceNew, sinceOld] = [inbox.to(to).length, inbox.to(user.email).length];
    await requestEmailChange(handle.db, actor, { currentPassword: PASSWORD, newEmail: to });
    const token = await tokenIn(to, sinceNew);
    const notice = await inbox.waitFor(user.email, { since: sinceOld });
    expect(notice.text).toContain(to);
    expect(notice.text).not.toContain("kse_");
    expect(await emailOf(user.id)).toBe(user.email);
    // Stored as a digest only.
    expect(JSON.stringify(await handle.db.select().from(emailChanges).where(eq(emailChanges.userId, user.id)))).not.toContain(token);

    expect(await confirmEmailChange(handle.db, token, CONTEXT)).toEqual({ from: user.email, to });
    expect(await emailOf(user.id)).toBe(to);
    expect(await refusal(confirmEmailChange(handle.db, token, CONTEXT))).toBe("email_change_invalid");
  });

  it("needs the current password, a free address, and mail; a link dies after a day, with a newer request or a password change", async () => {
    const { user, actor } = await account();
    const other = await makeUser(handle.db);
    expect(await refusal(requestEmailChange(handle.db, actor, { currentPassword: "not it", newEmail: `x-${user.id}@example.test` }))).toBe("wrong_password");
    expect(await refusal(requestEmailChange(handle.db, actor, { currentPassword: PASSWORD, newEmail: other.email }))).toBe("email_taken");
    // Through an API key: not an entry point for this.
    expect(await refusal(requestEmailChange(handle.db, { ...actor, key: { id: user.id, scopes: [], expiresAt: null, viaPreviousSecret: false } }, { currentPassword: PASSWORD, newEmail: "k@example.test" }))).toBe("not_found");

    const to = `late-${user.id}@example.test`;
    let since = inbox.to(to).length;
    await requestEmailChange(handle.db, actor, { currentPassword: PASSWORD, newEmail: to });
    const late = await tokenIn(to, since);
    expect(await refusal(confirmEmailChange(handle.db, late, CONTEXT, 25 * HOUR_MS))).toBe("email_change_invalid");

    since = inbox.to(to).length;
    await requestEmailChange(handle.db, actor, { currentPassword: PASSWORD, newEmail: to });
    const older = await tokenIn(to, since);
    since = inbox.to(to).length;
    await requestEmailChange(handle.db, actor, { currentPassword: PASSWORD, newEmail: to });
    const newer = await tokenIn(to, since);
    expect(await refusal(confirmEmailChange(handle.db, older, CONTEXT))).toBe("email_change_invalid");
    await handle.db.update(users).set({ sessionVersion: 99 }).where(eq(users.id, user.id));
    expect(await refusal(confirmEmailChange(handle.db, newer, CONTEXT))).toBe("email_change_invalid");
    expect(await emailOf(user.id)).toBe(user.email);

    delete process.env.APP_URL;
    expect(await refusal(requestEmailChange(handle.db, actor, { currentPassword: PASSWORD, newEmail: to }))).toBe("mail_unavailable");
    process.env.APP_URL = "https://keysmith.example.test";
  });

  it("an address taken between the request and the link is refused at the link, and nothing changes", async () => {
    const { user, actor } = await account();
    const to = `race-${user.id}@example.test`;
    const since = inbox.to(to).length;
    await requestEmailChange(handle.db, actor, { currentPassword: PASSWORD, newEmail: to });
    const token = await tokenIn(to, since);
    await makeUser(handle.db, { email: to });
    expect(await refusal(confirmEmailChange(handle.db, token, CONTEXT))).toBe("email_taken");
    expect(await emailOf(user.id)).toBe(user.email);
  });
});
