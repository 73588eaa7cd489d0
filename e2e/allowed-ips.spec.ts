import { randomUUID } from "node:crypto";
import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect } from "./support/api";
import { signIn } from "./support/fixtures";

// A key's IP allowlist end to end: refused on the very next request from an address outside it
// (ip_not_allowed, naming the address seen), accepted on the very next request once the list
// allows it; POST /keys/verify checks the end client's address from its body; the dialogs set,
// show and clear the list. The server here sees the socket address (no trusted proxy).

test.describe("allowed IP addresses", () => {
  test("a key limited to 10.0.0.0/8 is refused from here, then accepted once its list allows this address", async ({ api, rootKey }) => {
    const created = await api.call("POST", "/keys", { key: rootKey, body: { name: `limited ${randomUUID()}`, scopes: ["keys:read"], allowedIps: ["10.0.0.0/8", "2001:DB8::/32"] } });
    expect(created.status).toBe(201);
    expect(created.body.allowedIps).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
    const secret = created.body.key as string;

    const local = { "X-Forwarded-For": "127.0.0.1" };
    const refused = await api.call("GET", "/me", { key: secret, headers: local });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "ip_not_allowed", details: { ip: "127.0.0.1" } });
    expect(refused.body.error.message).toContain("requests from 127.0.0.1");
    expect(refused.body.error.message).toMatch(/allowed IP addresses/);
    // IPv4-mapped, as a dual-stack proxy may write it: the same address.
    expect((await api.call("GET", "/me", { key: secret, headers: { "X-Forwarded-For": "::ffff:10.1.2.3" } })).status).toBe(200);
    expect((await api.call("GET", "/me", { key: secret, headers: { "X-Forwarded-For": "2001:db8:1::9" } })).status).toBe(200);

    const widened = await api.call("PATCH", `/keys/${created.body.id}`, { key: rootKey, body: { allowedIps: ["10.0.0.0/8", "127.0.0.1"] } });
    expect(widened.status).toBe(200);
    expect(widened.body.allowedIps).toEqual(["10.0.0.0/8", "127.0.0.1"]);
    expect((await api.call("GET", "/me", { key: secret, headers: local })).status).toBe(200);

    // And back, refused on the very next request.
    const narrowed = await api.call("PATCH", `/keys/${created.body.id}`, { key: rootKey, body: { allowedIps: ["10.0.0.0/8"] } });
    expect(narrowed.status).toBe(200);
    expect((await api.call("GET", "/me", { key: secret, headers: local })).body.error.code).toBe("ip_not_allowed");
  });

  test("through the API a key with a list may narrow a list but not remove or widen it, and creates only keys within its list", async ({ api, rootKey }) => {
    const { secret: limitedSecret, id } = await api.createKey(rootKey, { name: `caller ${randomUUID()}`, scopes: ["keys:read", "keys:write"], expiresAt: null });
    // Limit the caller to the address its requests come from, and one more.
    expect((await api.call("PATCH", `/keys/${id}`, { key: rootKey, body: { allowedIps: [api.ip, "::1"] } })).status).toBe(200);
    const open = await api.call("POST", "/keys", { key: limitedSecret, body: { name: `open ${randomUUID()}`, scopes: ["keys:read"] } });
    expect(open.status).toBe(403);
    expect(open.body.error.code).toBe("allowed_ips_beyond_caller");
    const inside = await api.call("POST", "/keys", { key: limitedSecret, body: { name: `inside ${randomUUID()}`, scopes: ["keys:read"], allowedIps: ["::1"] } });
    expect(inside.status, inside.text).toBe(201);
    const removed = await api.call("PATCH", `/keys/${inside.body.id}`, { key: limitedSecret, body: { allowedIps: null } });
    expect(removed.status).toBe(403);
    expect(removed.body.error.code).toBe("allowed_ips_beyond_caller");
    expect((await api.call("GET", `/keys/${inside.body.id}`, { key: rootKey })).body.allowedIps).toEqual(["::1"]);
  });

  test("POST /keys/verify checks the end client's address from the body's ip", async ({ api, rootKey }) => {
    const { secret, id } = await api.createKey(rootKey, { name: `checked ${randomUUID()}`, scopes: ["keys:read"] });
    expect((await api.call("PATCH", `/keys/${id}`, { key: rootKey, body: { allowedIps: ["203.0.113.0/24"] } })).status).toBe(200);

    const without = await api.call("POST", "/keys/verify", { key: rootKey, body: { key: secret } });
    expect(without.status).toBe(200);
    expect(without.body).toMatchObject({ valid: false, code: "IP_NOT_ALLOWED", keyId: id });
    expect(without.body.message).toMatch(/pass the client's address in `ip`/);
    const inside = await api.call("POST", "/keys/verify", { key: rootKey, body: { key: secret, ip: "203.0.113.77" } });
    expect(inside.body).toMatchObject({ valid: true, code: "VALID" });
    const outside = await api.call("POST", "/keys/verify", { key: rootKey, body: { key: secret, ip: "198.51.100.1" } });
    expect(outside.body).toMatchObject({ valid: false, code: "IP_NOT_ALLOWED" });
    expect(outside.body.message).toContain("198.51.100.1");
    for (const ip of ["203.0.113.0/24", "not an ip", "fe80::1%eth0", 42, "x".repeat(100)]) {
      const bad = await api.call("POST", "/keys/verify", { key: rootKey, body: { key: secret, ip } });
      expect(bad.status, String(ip)).toBe(422);
      expect(Object.keys(bad.body.error.details.fields)).toContain("ip");
    }
  });

  test("the dialogs set, show and clear the list; a bad entry is a field error and nothing is created", async ({ page, api, account, rootKey }) => {
    await signIn(page, account.user);
    const keys = new ApiKeysPage(page);
    const name = `office ${Date.now()}`;
    await keys.openCreate();
    await keys.fillCreate({ name, access: "Read only" });
    const field = keys.dialog.getByLabel("Allowed IP addresses");
    await expect(field).toHaveAccessibleDescription(/One address or CIDR range per line/);
    await field.fill("203.0.113.7/24\nexample.com");
    await keys.submitCreate();
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(keys.dialog.locator("#key-allowed-ips-error")).toContainText("Did you mean 203.0.113.0/24?");
    await expect(keys.dialog.locator("#key-allowed-ips-error")).toContainText("“example.com” is not an IP address");
    await expect(field).toBeFocused();
    const list = await api.call("GET", "/keys?limit=100", { key: rootKey });
    expect(list.body.data.some((k: { name: string }) => k.name === name)).toBe(false);

    await field.fill("203.0.113.0/24\n2001:DB8::1");
    await keys.submitCreate();
    await expect(keys.dialog.getByLabel("Your new API key")).toBeVisible();
    await keys.copyAndClose();
    await expect(keys.row(name)).toContainText("Only from 2 allowed IP entries");

    await keys.menu(name, "Edit");
    await expect(field).toHaveValue("203.0.113.0/24\n2001:db8::1");
    await page.keyboard.press("Escape");
    await keys.menu(name, "View details");
    await expect(page.getByText("Only from the 2 addresses and ranges below")).toBeVisible();
    const allowed = page.getByRole("list", { name: /Allowed IP addresses/ });
    await expect(allowed.getByRole("listitem")).toHaveText(["203.0.113.0/24", "2001:db8::1"]);

    await keys.goto();
    await keys.menu(name, "Edit");
    await field.fill("");
    await keys.dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(keys.dialog).toBeHidden();
    await expect(keys.row(name)).not.toContainText("allowed IP");
    await keys.menu(name, "View details");
    await expect(page.getByText("Any address")).toBeVisible();
  });
});
