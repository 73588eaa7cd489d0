// Sign-up on a deployment that mails, end to end in Chromium (checklist A-02): every address gets the
// same page, the mail says the rest (a link to finish, or a notice to an address that has an
// account), and the link with the password chosen creates the account and signs it in, once. Its own
// deployment (own process, data and port) with a real SMTP server on loopback: the shared server has
// no mail, so every other spec's sign-up is made at once there.
import fs from "node:fs";
import { request as playwrightRequest } from "@playwright/test";
import { signUpLinkIn, startInbox, type Inbox } from "../test/smtp";
import { actionIds, postAction } from "./security/authz-walker";
import { expect, newUser, test } from "./support/fixtures";
import { rememberSecret } from "./support/secrets";
import { startServer, type RunningServer } from "./support/server";
import { serverEnv } from "./support/server-env";
import { signUpByMail } from "./support/sign-up-by-mail";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 69;
const DIR = ".data-e2e-signup";

test.describe.configure({ mode: "serial" });
let server: RunningServer | undefined;
let inbox: Inbox | undefined;
const base = `http://localhost:${PORT}`;
// Someone who has an account here (the deployment's first, or made from a mailed link).
const owner = newUser("owner");
test.beforeAll(async () => {
  fs.rmSync(DIR, { recursive: true, force: true });
  inbox = await startInbox();
  server = await startServer(PORT, { ...serverEnv(DIR), SMTP_URL: inbox.url, APP_URL: base, MAIL_FROM: "Keysmith <keysmith@example.test>" });
});
test.afterAll(async () => {
  await server?.stop();
  await inbox?.stop();
  // DIR is kept: the secret-hygiene check reads its database after the run (scripts/test.mjs).
});

test("a sign-up is finished from the mailed link with the password chosen, once; an address with an account gets a notice instead", async ({ browser }) => {
  const first = await (await browser.newContext()).newPage();
  await signUpByMail(first, owner, base, inbox!);
  await first.context().close();

  const person = newUser("joins");
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${base}/signup`);
  await visitor.getByLabel("Name").fill(person.name);
  await visitor.getByLabel("Email").fill(person.email.toUpperCase());
  await visitor.getByLabel("Password").fill(person.password);
  await visitor.getByRole("button", { name: "Create account" }).click();
  await expect(visitor.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(visitor.getByRole("status")).toHaveText(`Check your inbox at ${person.email}: we sent a link to finish creating your account. It works for 24 hours.`);

  // The first mail to this fresh address (it may have arrived before the page showed the answer).
  const mail = await inbox!.waitFor(person.email, { since: 0 });
  expect(mail.subject).toBe("Finish creating your Keysmith account");
  const link = signUpLinkIn(mail);
  expect(link.startsWith(`${base}/signup/confirm#token=kss_`)).toBe(true);
  // Mailed: scripts/secret-hygiene.ts checks it is in no response, log, storage or row.
  rememberSecret(link.split("#token=")[1]!);

  // Nothing exists until the link is opened: the password does not sign in yet.
  await visitor.goto(`${base}/login`);
  await visitor.getByLabel("Email").fill(person.email);
  await visitor.getByLabel("Password", { exact: true }).fill(person.password);
  await visitor.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(visitor.getByRole("alert").filter({ hasText: "Email or password is incorrect" })).toBeVisible();

  // Opened in another browser (a phone, say): the token leaves the address bar as soon as the page has read it.
  const phone = await (await browser.newContext()).newPage();
  await phone.goto(link);
  await expect(phone.getByRole("heading", { name: "Finish creating your account" })).toBeVisible();
  await expect.poll(() => phone.url()).toBe(`${base}/signup/confirm`);
  await phone.getByLabel("Password").fill("not the password I chose");
  await phone.getByRole("button", { name: "Create account" }).click();
  await expect(phone.getByText("This is not the password you chose when you signed up.")).toBeVisible();
  await expect(phone.getByLabel("Password")).toBeFocused();
  await phone.getByLabel("Password").fill(person.password);
  await phone.getByRole("button", { name: "Create account" }).click();
  await expect(phone).toHaveURL(`${base}/settings/api-keys`);

  // The same link a second time.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await again.getByLabel("Password").fill(person.password);
  await again.getByRole("button", { name: "Create account" }).click();
  await expect(again.getByRole("alert").filter({ hasText: "This sign-up link is invalid, already used or expired" })).toBeVisible();
  await expect(again.getByRole("link", { name: "Sign up again" })).toBeVisible();
  // A link without its token.
  await again.goto(`${base}/signup/confirm`);
  await expect(again.getByRole("heading", { name: "This link is incomplete" })).toBeVisible();

  // The address now has an account: signing up with it again answers the same page, and the mail is a notice.
  const since = inbox!.to(person.email).length;
  await again.goto(`${base}/signup`);
  await again.getByLabel("Name").fill("Someone Else");
  await again.getByLabel("Email").fill(person.email);
  await again.getByLabel("Password").fill("some other passphrase");
  await again.getByRole("button", { name: "Create account" }).click();
  await expect(again.getByRole("status")).toHaveText(`Check your inbox at ${person.email}: we sent a link to finish creating your account. It works for 24 hours.`);
  const notice = await inbox!.waitFor(person.email, { since });
  expect(notice.subject).toBe("Someone tried to create a Keysmith account with your address");
  expect(notice.text).toContain(`${base}/login`);
  expect(notice.text).not.toContain("kss_");
  await Promise.all([visitor.context().close(), phone.context().close(), again.context().close()]);
});

test("known and unknown addresses get the same answer, byte for byte, in the same time", async () => {
  const id = actionIds().get("app/(auth)/actions.ts#signUpAction")!;
  const request = await playwrightRequest.newContext({ baseURL: base });
  const ask = async (email: string, i: number) => {
    const started = performance.now();
    // A distinct client address each time (one trusted proxy hop): the per-client limit is not what is measured.
    const form = { name: "Same Name", email, password: "the same passphrase for all" };
    const response = await postAction(request, base, id, "/signup", [{ ok: false }, { $form: form }], { "X-Forwarded-For": `198.51.100.${i % 250}` });
    const body = await response.text();
    return { status: response.status(), body, ms: performance.now() - started };
  };
  const known: number[] = [];
  const unknown: number[] = [];
  const bodies = new Set<string>();
  for (let i = 0; i < 50; i++) {
    // Interleaved, so drift in the machine's load touches both alike.
    const a = await ask(owner.email, i);
    const b = await ask(`nobody-${i}-${owner.email}`, i);
    expect([a.status, b.status]).toEqual([200, 200]);
    bodies.add(a.body).add(b.body);
    known.push(a.ms);
    unknown.push(b.ms);
  }
  expect(bodies.size, "the answers differ").toBe(1);
  expect([...bodies][0]).not.toContain(owner.email);
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const [k, u] = [median(known), median(unknown)];
  console.log(`sign-up answer medians: known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`);
  // The lookup, the password's hash and the mail run after the answer, so the medians differ by noise only.
  expect(Math.abs(k - u), `medians: known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).toBeLessThan(Math.max(15, 0.5 * Math.min(k, u)));
  await request.dispose();
});
