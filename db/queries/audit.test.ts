import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeUser } from "@/test/fixtures";
import { ATTEMPTED_EMAIL_MAX, recordSignIn, recordSignInFailure } from "./audit";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const last = async (action: string) =>
  (await handle.db.select().from(auditEvents).where(eq(auditEvents.action, action))).sort((a, b) => +b.createdAt - +a.createdAt)[0]!;

describe(`sign-in events (${TEST_DRIVER})`, () => {
  it("a wrong password: no actor (the account's owner did nothing), the account as target, the attempted email", async () => {
    const victim = await makeUser(handle.db, { email: "victim@signin.test" });
    await recordSignInFailure(handle.db, { email: " Victim@SignIn.test ", userId: victim.id }, CONTEXT);
    expect(await last("user.sign_in_failed")).toMatchObject({
      actorId: null,
      targetType: "user",
      targetId: victim.id,
      metadata: { reason: "wrong_password", email: "victim@signin.test" },
      ip: CONTEXT.ip,
      userAgent: CONTEXT.userAgent,
    });
  });

  it("an unknown email: no actor, no target, the attempted email normalised and capped", async () => {
    await recordSignInFailure(handle.db, { email: `  NOBODY@x.test${"a".repeat(400)}`, userId: null }, CONTEXT);
    const event = await last("user.sign_in_failed");
    expect(event).toMatchObject({ actorId: null, targetId: null, metadata: { reason: "unknown_email" } });
    const email = (event.metadata as { email: string }).email;
    expect(email).toHaveLength(ATTEMPTED_EMAIL_MAX);
    expect(email.startsWith("nobody@x.test")).toBe(true);
  });

  it("a success: the user is actor and target", async () => {
    const user = await makeUser(handle.db);
    await recordSignIn(handle.db, user.id, CONTEXT);
    expect(await last("user.signed_in")).toMatchObject({ actorId: user.id, targetType: "user", targetId: user.id, ip: CONTEXT.ip });
  });
});
