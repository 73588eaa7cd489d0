import { eq, sql } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { appSettings, auditEvents, pendingSignUps, users } from "@/db/schema";
import { AppError, type ErrorCode } from "@/lib/errors";
import { verifyPassword } from "@/lib/password";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@/lib/time";
import { TEST_DRIVER, openTestDb, queryRows } from "@/test/db";
import { CONTEXT, makeUser, refusedWith as refusal } from "@/test/fixtures";
import { startInbox, type Inbox } from "@/test/smtp";
import { SIGN_UP_MAILS_PER_ADDRESS_PER_HOUR, SIGN_UP_PASSWORD_ATTEMPTS, confirmSignUp, signUp, signUpByEmail, type SignUpOutcome } from "./sign-up";

// Sign-up confirmed by mail, through a real SMTP server on loopback (test/smtp.ts). Checklist A-02
// (the same answer for every address; the mail says the rest) and A-01 (the link's token: a digest
// only, once, 24 hours, replaced by a newer one).

let handle: DbHandle;
let inbox: Inbox;
const APP_URL = "https://keysmith.example.test";
const env = { SMTP_URL: process.env.SMTP_URL, APP_URL: process.env.APP_URL };
beforeAll(async () => {
  handle = await openTestDb();
  inbox = await startInbox();
  process.env.SMTP_URL = inbox.url;
  process.env.APP_URL = APP_URL;
});
afterEach(async () => {
  process.env.SMTP_URL = inbox.url;
  process.env.APP_URL = APP_URL;
  await handle.db.update(appSettings).set({ signUpMode: "open", signUpDomains: [] }).where(eq(appSettings.id, 1));
});
afterAll(async () => {
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  await inbox?.stop();
  await handle?.close();
});

const code = async (promise: Promise<unknown>): Promise<ErrorCode> => (await refusal(promise)).code;

const PASSWORD = "a passphrase for signing up";
let n = 0;
const person = (label = "new") => ({ name: `Person ${++n}`, email: `${label}-${n}-${Date.now()}@example.test`, password: PASSWORD });

/** Signs up as the action does, running what it defers (after the answer) before returning. */
async function signUpNow(input: { name: string; email: string; password: string }, context = CONTEXT, clockOffsetMs = 0): Promise<{ outcome: SignUpOutcome; deferred: number }> {
  const tasks: (() => Promise<void>)[] = [];
  const outcome = await signUp(handle.db, input, context, clockOffsetMs, (task) => tasks.push(task));
  for (const task of tasks) await task();
  return { outcome, deferred: tasks.length };
}

const LINK = /https:\/\/keysmith\.example\.test\/signup\/confirm#token=(kss_[A-Za-z0-9_-]{43})/;
async function mailedToken(input: { name: string; email: string; password: string }, clockOffsetMs = 0): Promise<{ token: string; mail: ParsedMail }> {
  const since = inbox.to(input.email).length;
  const { outcome } = await signUpNow(input, CONTEXT, clockOffsetMs);
  expect(outcome).toEqual({ mailed: true });
  const mail = await inbox.waitFor(input.email, { since });
  const token = LINK.exec(mail.text ?? "")?.[1];
  if (!token) throw new Error(`no sign-up link in: ${mail.text}`);
  return { token, mail };
}

const accountsWith = async (email: string) => handle.db.select().from(users).where(eq(users.email, email));
const pendingFor = async (email: string) => handle.db.select().from(pendingSignUps).where(eq(pendingSignUps.email, email));

/** Every row of every table, as text. */
async function everyRow(): Promise<string> {
  const tables = await queryRows(handle.db, sql`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  const parts: string[] = [];
  for (const { t } of tables) parts.push(...(await queryRows(handle.db, sql.raw(`select x::text as row from "${String(t)}" x`))).map((r) => String(r.row)));
  return parts.join("\n");
}

describe(`sign-up confirmed by mail (${TEST_DRIVER})`, () => {
  it("the first account of an empty deployment is created at once, even with mail", async () => {
    const first = person("first");
    const { outcome, deferred } = await signUpNow(first);
    expect("created" in outcome && outcome.created).toMatchObject({ email: first.email, role: "admin" });
    expect(deferred).toBe(0);
  });

  it("creates nothing at once; the mailed link (APP_URL, fragment) and the password chosen create the account once; only a digest is stored", async () => {
    const someone = person();
    const { token, mail } = await mailedToken(someone);
    expect(mail.subject).toBe("Finish creating your Keysmith account");
    expect(mail.text).toContain(`Hello ${someone.name}`);
    expect(mail.text).toContain(`${APP_URL}/signup/confirm#token=kss_`);
    expect(await accountsWith(someone.email)).toEqual([]);

    // No row holds the token or 16 characters of it; the password is kept as its argon2 hash.
    const [pending] = await pendingFor(someone.email);
    expect(pending).toMatchObject({ email: someone.email, name: someone.name, failedAttempts: 0 });
    expect(await verifyPassword(pending!.passwordHash, PASSWORD)).toBe(true);
    const rows = await everyRow();
    for (let i = 4; i + 16 <= token.length; i += 8) expect(rows.includes(token.slice(i, i + 16))).toBe(false);
    expect(rows).not.toContain(PASSWORD);

    // A wrong password creates nothing and keeps the link.
    const wrong = await refusal(confirmSignUp(handle.db, { token, password: "not the one I chose" }, CONTEXT));
    expect(wrong.code).toBe("wrong_password");
    expect(wrong.fieldErrors?.password).toContain("not the password you chose");
    expect(await accountsWith(someone.email)).toEqual([]);

    const user = await confirmSignUp(handle.db, { token, password: PASSWORD }, CONTEXT);
    expect(user).toMatchObject({ email: someone.email, name: someone.name, role: "member" });
    const [account] = await accountsWith(someone.email);
    expect(await verifyPassword(account!.passwordHash, PASSWORD)).toBe(true);
    expect(await pendingFor(someone.email)).toEqual([]);
    const [audit] = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    expect(audit).toMatchObject({ action: "user.signed_up", actorId: user.id, metadata: { role: "member", confirmed: "email" } });

    // Used twice.
    expect(await code(confirmSignUp(handle.db, { token, password: PASSWORD }, CONTEXT))).toBe("sign_up_link_invalid");
    expect(await accountsWith(someone.email)).toHaveLength(1);
  });

  it("a link stops working after 24 hours, and when a newer sign-up for the address replaces it", async () => {
    const late = person("late");
    const { token } = await mailedToken(late);
    expect(await code(confirmSignUp(handle.db, { token, password: PASSWORD }, CONTEXT, DAY_MS + MINUTE_MS))).toBe("sign_up_link_invalid");
    expect(await accountsWith(late.email)).toEqual([]);

    const twice = person("twice");
    const first = await mailedToken(twice);
    const second = await mailedToken({ ...twice, name: "The Newer Name", password: "the newer passphrase" });
    expect(await code(confirmSignUp(handle.db, { token: first.token, password: PASSWORD }, CONTEXT))).toBe("sign_up_link_invalid");
    expect(await pendingFor(twice.email)).toHaveLength(1);
    const user = await confirmSignUp(handle.db, { token: second.token, password: "the newer passphrase" }, CONTEXT);
    expect(user.name).toBe("The Newer Name");
  });

  it("an address that got an account meanwhile: the link gives one clear refusal and writes nothing", async () => {
    const racer = person("racer");
    const { token } = await mailedToken(racer);
    const other = await makeUser(handle.db, { email: racer.email });
    const refused = await refusal(confirmSignUp(handle.db, { token, password: PASSWORD }, CONTEXT));
    expect(refused.code).toBe("sign_up_link_taken");
    expect(refused.status).toBe(409);
    expect((await accountsWith(racer.email)).map((u) => u.id)).toEqual([other.id]);
    expect(await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, other.id))).toHaveLength(1);
  });

  it("an address with an account gets the same answer and a notice with sign-in and reset links; nothing is stored", async () => {
    const known = await makeUser(handle.db);
    const since = inbox.to(known.email).length;
    const { outcome, deferred } = await signUpNow({ name: "Someone Else", email: known.email, password: PASSWORD });
    expect(outcome).toEqual({ mailed: true });
    expect(deferred).toBe(1);
    const notice = await inbox.waitFor(known.email, { since });
    expect(notice.subject).toBe("Someone tried to create a Keysmith account with your address");
    expect(notice.text).toContain("Someone tried to create a Keysmith account with this address");
    expect(notice.text).toContain(`${APP_URL}/login`);
    expect(notice.text).toContain(`${APP_URL}/forgot-password`);
    expect(notice.text).not.toMatch(/kss_/);
    expect(await pendingFor(known.email)).toEqual([]);
    expect(await accountsWith(known.email)).toHaveLength(1);
  });

  it("the sign-up mode: refused before the address is looked at (the same for known and unknown), and applied again at the link", async () => {
    const known = await makeUser(handle.db);
    const waiting = person("waiting");
    const { token } = await mailedToken(waiting);
    for (const [mode, refused] of [
      ["invite_only", "sign_up_invite_only"],
      ["closed", "sign_up_closed"],
    ] as const) {
      await handle.db.update(appSettings).set({ signUpMode: mode }).where(eq(appSettings.id, 1));
      const sent = inbox.messages.length;
      for (const email of [known.email, person().email]) {
        const error = await refusal(signUpNow({ name: "X", email, password: PASSWORD }));
        expect([error.code, error.message]).toEqual([refused, new AppError(refused).message]);
      }
      expect(inbox.messages.length).toBe(sent);
      // The link opened now is refused by the mode, and nothing is written (it works again once sign-up reopens).
      expect(await code(confirmSignUp(handle.db, { token, password: PASSWORD }, CONTEXT))).toBe(refused);
      expect(await accountsWith(waiting.email)).toEqual([]);
    }
    await handle.db.update(appSettings).set({ signUpMode: "domains", signUpDomains: ["allowed.test"] }).where(eq(appSettings.id, 1));
    const domain = await refusal(signUpNow({ name: "X", email: known.email, password: PASSWORD }));
    expect(domain.code).toBe("email_domain_not_allowed");
    expect(await code(confirmSignUp(handle.db, { token, password: PASSWORD }, CONTEXT))).toBe("email_domain_not_allowed");
    await handle.db.update(appSettings).set({ signUpMode: "open", signUpDomains: [] }).where(eq(appSettings.id, 1));
    expect((await confirmSignUp(handle.db, { token, password: PASSWORD }, CONTEXT)).email).toBe(waiting.email);
  });

  it(`${SIGN_UP_PASSWORD_ATTEMPTS} wrong passwords at a link void it`, async () => {
    const guessed = person("guessed");
    const { token } = await mailedToken(guessed);
    for (let i = 1; i < SIGN_UP_PASSWORD_ATTEMPTS; i++) expect(await code(confirmSignUp(handle.db, { token, password: `wrong guess ${i}` }, CONTEXT))).toBe("wrong_password");
    const last = await refusal(confirmSignUp(handle.db, { token, password: "the last wrong guess" }, CONTEXT));
    expect([last.code, last.message]).toEqual(["sign_up_link_invalid", "Too many wrong passwords: this link no longer works. Sign up again to get a new one."]);
    expect(await code(confirmSignUp(handle.db, { token, password: PASSWORD }, CONTEXT))).toBe("sign_up_link_invalid");
    expect(await accountsWith(guessed.email)).toEqual([]);
  });

  it("a malformed or made-up token is refused alike", async () => {
    for (const token of [undefined, "", "short", `kss_${"x".repeat(43)}`, `ksr_${"x".repeat(43)}`, `kss_${"%".repeat(43)}`, 42]) {
      expect(await code(confirmSignUp(handle.db, { token, password: PASSWORD }, CONTEXT))).toBe("sign_up_link_invalid");
    }
  });

  it(`an address gets at most ${SIGN_UP_MAILS_PER_ADDRESS_PER_HOUR} mails an hour, and a client at most 10 sign-ups per 15 minutes; beyond, the answer is the same and nothing is mailed`, async () => {
    // The limits count in fixed windows: "now" is moved to just after the next hour starts, so the test never straddles one.
    const offset = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS - Date.now() + 1000;
    const busy = person("busy");
    for (let i = 0; i < SIGN_UP_MAILS_PER_ADDRESS_PER_HOUR + 2; i++) {
      expect((await signUpNow(busy, { ...CONTEXT, ip: `198.51.100.${i}` }, offset)).outcome).toEqual({ mailed: true });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.to(busy.email)).toHaveLength(SIGN_UP_MAILS_PER_ADDRESS_PER_HOUR);

    const client = { ...CONTEXT, ip: "192.0.2.77" };
    const people = Array.from({ length: 12 }, () => person("client"));
    for (const p of people) expect((await signUpNow(p, client, offset)).outcome).toEqual({ mailed: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(people.map((p) => inbox.to(p.email).length)).toEqual([...Array(10).fill(1), 0, 0]);
  });

  it("without SMTP or without APP_URL the account is created at once, and an address with an account answers email_taken", async () => {
    delete process.env.SMTP_URL;
    expect(signUpByEmail()).toBe(false);
    const now = person("now");
    const { outcome, deferred } = await signUpNow(now);
    expect("created" in outcome && outcome.created.email).toBe(now.email);
    expect(deferred).toBe(0);
    process.env.SMTP_URL = inbox.url;
    delete process.env.APP_URL;
    expect(signUpByEmail()).toBe(false);
    expect(await code(signUpNow({ ...now, name: "Again" }))).toBe("email_taken");
    expect(await pendingFor(now.email)).toEqual([]);
  });
});
