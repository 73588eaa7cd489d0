import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { makeUser } from "@/test/fixtures";
import { endSessions, findUserByEmail, findUserById, getProfile, updateUserName } from "./users";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

describe(`users data layer (${TEST_DRIVER})`, () => {
  it("makes the first account an admin, later ones members, and ADMIN_EMAILS admins", async () => {
    const db = handle.db;
    const first = await makeUser(db);
    const second = await makeUser(db);
    const named = await makeUser(db, { email: "boss@example.test", adminEmails: ["boss@example.test"] });
    expect(first.role).toBe("admin");
    expect(second.role).toBe("member");
    expect(named.role).toBe("admin");
    expect((await findUserById(db, second.id))?.role).toBe("member");
    expect(await findUserByEmail(db, "boss@example.test")).toMatchObject({ id: named.id });
    const events = await db.select().from(auditEvents).where(eq(auditEvents.actorId, first.id));
    expect(events.map((e) => e.action)).toEqual(["user.signed_up"]);
  });

  it("reports a taken email as a field error", async () => {
    const db = handle.db;
    await makeUser(db, { email: "taken@example.test" });
    const error = await makeUser(db, { email: "taken@example.test" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("email_taken");
    expect((error as AppError).fieldErrors?.email).toMatch(/already exists/);
  });

  it("ends every session by moving the session version on, audited with the change", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const context = { ip: "203.0.113.9", userAgent: "vitest" };
    expect((await findUserById(db, user.id))?.sessionVersion).toBe(0);
    await endSessions(db, user.id, context);
    await endSessions(db, user.id, context);
    expect((await findUserById(db, user.id))?.sessionVersion).toBe(2);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    expect(events.filter((e) => e.action === "user.signed_out")).toHaveLength(2);
    expect(events.find((e) => e.action === "user.signed_out")).toMatchObject({ actorId: user.id, ip: "203.0.113.9" });

    const missing = await endSessions(db, "00000000-0000-4000-8000-000000000000", context).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AppError);
    expect((missing as AppError).code).toBe("user_not_found");
  });

  it("answers user_not_found, never a crash, when the account is gone between verification and the read (GET/PATCH /api/v1/profile)", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    expect(await getProfile(db, user.id)).toMatchObject({ id: user.id, email: user.email });
    const gone = "00000000-0000-4000-8000-000000000000";
    const read = await getProfile(db, gone).catch((e: unknown) => e);
    expect((read as AppError).code).toBe("user_not_found");
    const write = await updateUserName(db, gone, "x", { ip: null, userAgent: null }).catch((e: unknown) => e);
    expect((write as AppError).code).toBe("user_not_found");
  });
});
