import { randomUUID } from "node:crypto";
import type { Database } from "@/db/client";
import { createUser } from "@/db/queries/users";
import type { RequestContext } from "@/lib/audit-events";

export const PEPPER = "test-pepper-0123456789abcdefghijklmnopqrstuvwxyz";
export const CONTEXT: RequestContext = { ip: "203.0.113.7", userAgent: "vitest" };

export async function makeUser(db: Database, overrides: { email?: string; adminEmails?: string[] } = {}) {
  return createUser(
    db,
    {
      email: overrides.email ?? `user-${randomUUID()}@example.test`,
      name: "Test User",
      // Not a real argon2 hash: the data layer stores whatever it is given.
      passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$dGVzdA$dGVzdA",
      adminEmails: overrides.adminEmails ?? [],
    },
    CONTEXT,
  );
}
