import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { makeUser } from "@/test/fixtures";
import { findUserByEmail, findUserById } from "./users";

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
    expect((error as AppError).code).toBe("conflict:email_taken");
    expect((error as AppError).fieldErrors?.email).toMatch(/already exists/);
  });
});
