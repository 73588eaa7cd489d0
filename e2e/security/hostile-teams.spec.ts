import { randomUUID } from "node:crypto";
import { HOSTILE_IDS, hostileStrings } from "../../test/hostile-values";
import { expect, test } from "../support/fixtures";
import { actionIds, postAction } from "./authz-walker";
import { HOSTILE_QUERY_PARAMS } from "./hostile-support";

// Hostile input for the team fields: the create form shows a field error for each hostile name and
// address, and every team action called directly with wrongly typed or hostile arguments answers
// with a refusal, never a 500 (the schemas themselves: lib/validation/hostile-input.test.ts).

const MEMBERS = "app/(dashboard)/t/[slug]/settings/members/actions.ts";
const POLICY = "app/(dashboard)/t/[slug]/settings/policy/actions.ts";
const REQUESTS = "app/(dashboard)/t/[slug]/settings/requests/actions.ts";

test.describe("hostile input for teams", () => {
  test.describe.configure({ timeout: 240_000 });

  test("the create form refuses hostile names and addresses with a field error", async ({ page, user }) => {
    void user;
    await page.goto("/t/new");
    const name = page.getByLabel("Team name");
    const slug = page.getByLabel("Address");
    const submit = async () => {
      const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/t/new");
      await page.getByRole("button", { name: "Create team" }).click();
      await answered;
    };
    await name.evaluate((input) => input.removeAttribute("maxlength"));
    await slug.evaluate((input) => input.removeAttribute("maxlength"));
    const onePerClass = hostileStrings(100).filter((h, i, all) => h.text === "reject" && !/[\n\r]/.test(h.value) && h.class !== "surrogate" && all.findIndex((o) => o.class === h.class && o.text === "reject") === i);
    for (const h of onePerClass) {
      await name.fill(h.value);
      await slug.fill(`ok-${randomUUID().slice(0, 6)}`);
      await submit();
      await expect(page.locator("#team-name-error"), h.label).toHaveText(/not allowed|at most 100|Enter a team name|visible/);
    }
    for (const bad of ["a", "-ab", "ab-", "AB", "a_b", "../../admin", "a".repeat(41), "<script>", "' or 1=1 --", "ab\u202ecd"]) {
      await name.fill("Fine name");
      await slug.fill(bad);
      await submit();
      await expect(page.locator("#team-slug-error"), bad).toHaveText(/lower-case|at least 2|at most 40/);
    }
    await expect(page.getByText("Something went wrong")).toHaveCount(0);
  });

  test("team actions called directly with hostile arguments refuse, never fail", async ({ page, user }) => {
    void user;
    const ids = actionIds();
    const slug = `h-${randomUUID().slice(0, 8)}`;
    await page.goto("/t/new");
    await page.getByLabel("Team name").fill("Hostile target");
    await page.getByLabel("Address").fill(slug);
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings/members$`));
    const path = `/t/${slug}/settings/members`;
    const hostile: unknown[] = [null, 42, [], {}, "x".repeat(100_000), "' or 1=1 --", "\u0000", "../../admin", JSON.parse('{"__proto__":{"role":"owner"}}')];
    for (const name of ["changeMemberRoleAction", "removeMemberAction", "transferOwnershipAction", "leaveTeamAction"]) {
      const id = ids.get(`${MEMBERS}#${name}`)!;
      for (const first of [slug, ...hostile]) {
        for (const second of hostile) {
          const res = await postAction(page.request, page.url(), id, path, [first, second]);
          expect(res.status(), `${name}(${JSON.stringify(first)?.slice(0, 20)}, ${JSON.stringify(second)?.slice(0, 20)})`).toBeLessThan(500);
          expect(await res.text()).not.toContain("Something went wrong on our side");
        }
      }
    }
    // The team is as it was: its only owner is still here.
    await page.reload();
    await expect(page.getByText("Team · your role: Owner")).toBeVisible();
  });

  test("a team's audit log and usage take hostile filters, and its key page hostile ids, without an error page", async ({ page, user }) => {
    void user;
    const slug = `hq-${randomUUID().slice(0, 8)}`;
    await page.goto("/t/new");
    await page.getByLabel("Team name").fill("Hostile queries");
    await page.getByLabel("Address").fill(slug);
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings/members$`));
    for (const path of [`/t/${slug}/settings/audit`, `/t/${slug}/settings/usage`]) {
      for (const query of HOSTILE_QUERY_PARAMS) {
        const res = await page.request.get(`${path}?${query}`);
        const where = `${path}?${query.slice(0, 60)}`;
        expect(res.status(), where).toBe(200);
        expect(await res.text(), where).not.toMatch(/data-dgst="\d+"|Something went wrong/);
      }
    }
    for (const id of HOSTILE_IDS.filter((i) => i !== "..")) {
      const res = await page.request.get(`/t/${slug}/settings/api-keys/${encodeURIComponent(id)}`);
      expect(res.status(), id.slice(0, 40)).toBe(404);
    }
    await page.goto(`/t/${slug}/settings/audit?from=0000-01-01&to=9999-12-31&actor=%00`);
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);
  });

  test("the key policy form and the request and decision actions refuse hostile input, never fail", async ({ page, user }) => {
    void user;
    const ids = actionIds();
    const slug = `hp-${randomUUID().slice(0, 8)}`;
    await page.goto("/t/new");
    await page.getByLabel("Team name").fill("Hostile policy");
    await page.getByLabel("Address").fill(slug);
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings/members$`));
    // The form: hostile day counts get a field error, the policy is unchanged.
    await page.goto(`/t/${slug}/settings/policy`);
    await page.getByLabel("At most").check();
    const days = page.getByLabel("Maximum lifetime in days");
    await days.evaluate((input) => input.removeAttribute("maxlength"));
    for (const bad of ["0", "-1", "3651", "1.5", "1e3", "abc", "' or 1=1 --", "9".repeat(400), "\u0000", "<script>"]) {
      await days.fill(bad);
      await page.getByRole("button", { name: "Save policy" }).click();
      await expect(page.locator("#policy-days-error"), bad).toHaveText(/whole number|at least 1|at most|deployment allows/);
    }
    // The actions called directly: wrongly typed or hostile fields (scopes, thresholds, reasons, justifications, ids) refuse.
    const path = `/t/${slug}/settings/requests`;
    const hostile: unknown[] = [null, 42, [], {}, "x".repeat(100_000), "' or 1=1 --", "\u0000", "../../admin", "00000000-0000-4000-8000-000000000000", JSON.parse('{"__proto__":{"role":"owner"}}')];
    const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v) ?? "");
    for (const value of hostile) {
      const calls: [string, unknown[]][] = [
        [`${POLICY}#changeTeamPolicyAction`, [slug, { ok: false }, { $form: { lifetime: "days", maxLifetimeDays: text(value), developerScopesMode: "some", developerScopes: text(value), approvalFrom: text(value) } }]],
        [`${REQUESTS}#requestTeamKeyAction`, [slug, { ok: false }, { $form: { name: text(value), access: "full", expiration: "30", justification: text(value).repeat(2) } }]],
        [`${REQUESTS}#approveKeyRequestAction`, [slug, { ok: false }, { $form: { requestId: text(value), reason: text(value) } }]],
        [`${REQUESTS}#denyKeyRequestAction`, [slug, { ok: false }, { $form: { requestId: text(value), reason: text(value) } }]],
        [`${REQUESTS}#cancelKeyRequestAction`, [slug, value]],
        [`${REQUESTS}#issueRequestedKeyAction`, [slug, value]],
        [`${REQUESTS}#issueRequestedKeyAction`, [value, value]],
      ];
      for (const [name, args] of calls) {
        const res = await postAction(page.request, page.url(), ids.get(name)!, path, args);
        const label = `${name.split("#")[1]}(${text(value).slice(0, 20)})`;
        expect(res.status(), label).toBeLessThan(500);
        const body = await res.text();
        expect(body, label).not.toContain("Something went wrong on our side");
        expect(body, label).not.toContain('"ok":true');
      }
    }
    // The policy is as it was: no maximum lifetime.
    await page.goto(`/t/${slug}/settings/policy`);
    await expect(page.getByLabel("The deployment's maximum")).toBeChecked();
  });
});
