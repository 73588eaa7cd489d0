import { generateKey } from "../lib/keys/format";
import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect, withinOneMinuteWindow } from "./support/api";
import { signIn } from "./support/fixtures";

test.describe("leaked keys", () => {
  test("reports revoke real keys, answer the same for fake ones, and the owner sees why", async ({ api, rootKey, account, page }) => {
    await withinOneMinuteWindow();
    const name = `leaky ${Date.now()}`;
    const leaked = await api.createKey(rootKey, { name, scopes: ["keys:read"] });
    const real = await api.call("POST", "/keys/revoke-leaked", { body: { keys: [leaked.secret, generateKey(), "not a key"] } });
    const fake = await api.call("POST", "/keys/revoke-leaked", { body: { keys: [generateKey(), generateKey(), "not a key"] } });
    expect(real.status).toBe(202);
    expect(real.text).toBe(fake.text);
    // The revocation runs just after the response (so its timing says nothing either).
    await expect.poll(async () => (await api.call("GET", "/me", { key: leaked.secret })).status).toBe(401);

    const github = await api.call("POST", "/keys/revoke-leaked", {
      body: [{ token: generateKey(), type: "keysmith_api_key", url: "https://example.invalid/commit", source: "content" }],
    });
    expect(github.status).toBe(202);
    expect((await api.call("POST", "/keys/revoke-leaked", { body: { keys: [] } })).status).toBe(422);

    await signIn(page, account.user);
    await expect(new ApiKeysPage(page).row(name)).toContainText("Revoked after a leak report");

    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await api.call("POST", "/keys/revoke-leaked", { body: { keys: ["x"] } })).status);
    expect(statuses).toContain(429);
  });
});
