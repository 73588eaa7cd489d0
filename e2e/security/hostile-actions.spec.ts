import { apiTest as test, expect } from "../support/api";
import { newUser, signUp } from "../support/fixtures";
import { ApiKeysPage } from "../support/api-keys-page";
import { rawRequest } from "./hostile-support";

// Server actions under hostile payloads: a 2 MB body (413, 411 without a length) and malformed or
// wrongly typed action calls made directly with the real action id (see hostile-support.ts).

test.describe("hostile input through the real forms and pages", () => {
  test.describe.configure({ timeout: 300_000 });

  test("a 2 MB server action body is refused with 413, and a 2 MB paste never gets that far", async ({ page }) => {
    await signUp(page, newUser("hostile-action"));
    const keys = new ApiKeysPage(page);
    await keys.openCreate();
    // A person pasting 2 MB: the fields cut it down, the server answers with a field error.
    await keys.fillCreate({ name: "n".repeat(2 * 1024 * 1024), description: "d".repeat(2 * 1024 * 1024) });
    await keys.submitCreate();
    await expect(keys.dialog.locator("#key-name-error")).toHaveText(/at most 64/);
    await expect(keys.dialog.locator("#key-description-error")).toHaveText(/at most 280/);

    // A client that posts 2 MB anyway (the real action id and form, the name inflated).
    await keys.fillCreate({ name: "big", description: "" });
    const big = `${"a".repeat(2 * 1024 * 1024)}`;
    await page.route("**/settings/api-keys", async (route) => {
      const req = route.request();
      if (req.method() !== "POST" || !req.headers()["next-action"]) return route.continue();
      // The real action id and form, with the name inflated past the 1 MB action limit.
      const body = req.postDataBuffer()!.toString("latin1").replace("big", big);
      await route.continue({ postData: Buffer.from(body, "latin1") });
    });
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && !!r.request().headers()["next-action"]);
    await keys.submitCreate();
    const response = await answer;
    expect(response.status()).toBe(413);
    await page.unroute("**/settings/api-keys");
    // The same request streamed without a length is refused too, before the action reads it.
    const chunked = await rawRequest(
      ["POST /settings/api-keys HTTP/1.1", "Host: localhost", "Connection: close", "Next-Action: x", "Transfer-Encoding: chunked", "", "5", "hello", "0", "", ""].join("\r\n"),
    );
    expect(chunked.status).toBe(411);
    // The tampering client's page is its own problem; the app still works for the person.
    await page.goto("/settings/api-keys");
    await keys.create({ name: "after the big one" });
  });
});

test.describe("server actions called directly", () => {
  test("malformed payloads are 400 and wrong argument types a refusal, never a 500", async ({ page }) => {
    await signUp(page, newUser("hostile-replay"));
    const keys = new ApiKeysPage(page);
    await keys.create({ name: "victim" });
    await keys.copyAndClose();
    // The real action id, from the revoke action the page calls.
    const actionRequest = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
    await keys.revoke("victim");
    const actionId = (await actionRequest).headers()["next-action"]!;
    await expect(page.getByText("“victim” was revoked")).toBeVisible();

    const post = (data: string, contentType = "text/plain;charset=UTF-8") =>
      page.request.post("/settings/api-keys", { headers: { "Next-Action": actionId, "Content-Type": contentType, Accept: "text/x-component" }, data });
    // Not a React reply at all, or one that references parts that are not there.
    const malformed = ["", "{", '"x"', "1", "null", '["$Q1"]', '["$B1"]', '["$h1"]', '["$F1"]', '["$1"]', '["$"]', '["$n1x"]', JSON.stringify(Array(2000).fill("x")), "[".repeat(5000) + "]".repeat(5000)];
    for (const body of malformed) {
      const res = await post(body);
      expect(res.status(), `action body ${body.slice(0, 30)}`).toBe(400);
    }
    for (const body of ["--x\r\nContent-Disposition: form-data; name=\"1_a\"\r\n\r\nv\r\n--x--\r\n", "--x\r\nbroken"]) {
      expect((await post(body, "multipart/form-data; boundary=x")).status(), `multipart ${body.slice(0, 30)}`).toBe(400);
    }
    // Well-formed calls with arguments of the wrong type reach the action, which refuses them.
    for (const args of [[], [{}], [null], [["x"]], [42], ["' or 1=1 --"], ["\u0000"], [JSON.parse('{"__proto__":{"admin":true}}')], ["x".repeat(500_000)]]) {
      const res = await post(JSON.stringify(args));
      expect(res.status(), JSON.stringify(args).slice(0, 40)).toBe(200);
      expect(await res.text()).toContain("That API key was not found");
    }
    await keys.goto();
    await expect(keys.row("victim")).toContainText("Revoked");
  });
});
