// Known Next.js proxy/middleware bypasses (CVE-2025-29927's x-middleware-subrequest, and the
// .rsc, _rsc and prefetch variants of 2026) replayed against protected pages, admin pages and the
// API. proxy.ts guards nothing by itself, so none of them may reveal anything: every page, action
// and handler checks the session (or key) on its own.
import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { ADMIN, expect, test } from "../support/fixtures";

const VARIANTS: { label: string; suffix?: string; query?: string; headers?: Record<string, string> }[] = [
  { label: "plain" },
  { label: "x-middleware-subrequest", headers: { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" } },
  { label: "x-middleware-subrequest (src)", headers: { "x-middleware-subrequest": "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware" } },
  { label: "x-middleware-subrequest (proxy)", headers: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" } },
  { label: "RSC", headers: { RSC: "1" } },
  { label: "prefetch", headers: { RSC: "1", "Next-Router-Prefetch": "1" } },
  { label: "segment prefetch", headers: { RSC: "1", "Next-Router-Prefetch": "1", "Next-Router-Segment-Prefetch": "/_tree" } },
  { label: "?_rsc", query: "_rsc=abcde" },
  { label: ".rsc", suffix: ".rsc" },
  { label: ".segments", suffix: ".segments/_tree.segment.rsc" },
];

async function replay(request: APIRequestContext, path: string) {
  const answers = [];
  for (const variant of VARIANTS) {
    const url = `${path}${variant.suffix ?? ""}${variant.query ? `?${variant.query}` : ""}`;
    const response = await request.get(url, { headers: variant.headers, maxRedirects: 0, failOnStatusCode: false });
    answers.push({ variant: variant.label, url, status: response.status(), location: response.headers().location ?? "", body: await response.text() });
  }
  return answers;
}

test("bypass variants reveal nothing to visitors or members, while the owner's own request does", async ({ page, keys, user, playwright, baseURL }) => {
  const canary = `canary-${randomUUID()}`;
  await keys.create({ name: canary });
  await keys.copyAndClose();

  // Control: the owner's session sees the canary, so its absence below means something.
  const ownerView = await page.request.get("/settings/api-keys");
  expect(await ownerView.text()).toContain(canary);

  const visitor = await playwright.request.newContext({ baseURL });
  for (const path of ["/settings/api-keys", "/settings/profile", "/admin", "/admin/keys", "/admin/users", "/admin/audit"]) {
    for (const answer of await replay(visitor, path)) {
      const where = `${answer.variant} ${answer.url} -> ${answer.status} ${answer.location}`;
      expect(answer.status, where).not.toBe(500);
      expect(answer.body, where).not.toContain(canary);
      expect(answer.body, where).not.toContain(user.email);
      expect(answer.body, where).not.toContain(ADMIN.email);
    }
  }
  for (const path of ["/admin/keys/export", "/admin/audit/export", "/api/v1/keys", "/api/v1/me"]) {
    for (const answer of await replay(visitor, path)) {
      const where = `${answer.variant} ${answer.url} -> ${answer.status} ${answer.location}`;
      // Refused; or redirected, with nothing in the body, to sign in or (Next's cache-busting for
      // RSC requests) to the same URL with ?_rsc, whose answer the ?_rsc variant checks.
      const redirect = answer.status === 307 && (answer.location.includes("/login") || answer.location.startsWith(`${path}?_rsc`));
      expect(answer.status === 401 || answer.status === 404 || redirect, where).toBe(true);
      expect(answer.body, where).not.toContain(canary);
    }
  }
  await visitor.dispose();

  // A signed-in member replays them against the admin pages: nothing of anyone else's.
  for (const path of ["/admin", "/admin/keys", "/admin/users", "/admin/audit", "/admin/keys/export"]) {
    for (const answer of await replay(page.request, path)) {
      const where = `${answer.variant} ${answer.url} -> ${answer.status}`;
      expect(answer.status, where).not.toBe(500);
      expect(answer.body, where).not.toContain(ADMIN.email);
      expect(answer.body, where).not.toContain("Revoke selected");
    }
  }
});
