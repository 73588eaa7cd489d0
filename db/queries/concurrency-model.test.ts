// Model-based concurrency test (checklist C-02): random sequences of batches of key operations,
// each batch run concurrently (truly in parallel on PostgreSQL through `pg` and Neon's driver;
// interleaved at every await on PGlite), then the database is checked against what the calls
// reported: no key both live and revoked, no revocation undone, live names unique, one audit
// event per successful change, and exactly one current secret per live key however many
// rotations raced. A fixed seed makes a failure reproducible.
import { and, eq, inArray } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, auditEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { verifyKey, type VerifyDeps } from "@/lib/keys/verify";
import { SyncedLimiter } from "@/lib/rate-limit";
import { scopesFor } from "@/lib/scopes";
import { UsageRecorder } from "@/lib/usage";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { createApiKey, updateApiKey } from "./api-keys";
import { deleteApiKey, revokeApiKey } from "./key-revocation";
import { rotateApiKey } from "./rotations";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

type Command =
  | { kind: "create"; name: number }
  | { kind: "rename"; slot: number; name: number }
  | { kind: "rotate"; slot: number }
  | { kind: "revoke"; slot: number }
  | { kind: "delete"; slot: number };

const slot = fc.nat({ max: 7 });
const name = fc.nat({ max: 5 }); // few names, so creates and renames collide
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), name }),
  fc.record({ kind: fc.constant("rename" as const), slot, name }),
  fc.record({ kind: fc.constant("rotate" as const), slot }),
  fc.record({ kind: fc.constant("revoke" as const), slot }),
  fc.record({ kind: fc.constant("delete" as const), slot }),
);
const batches = fc.array(fc.array(command, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 });

/** What the calls reported, per key. */
type Seen = { secrets: string[]; events: Map<string, number>; removed: boolean; deleted: boolean };

async function runScenario(plan: Command[][]) {
  const db = handle.db;
  const user = await makeUser(db);
  const keys: string[] = []; // ids in creation order; commands address them by slot
  const seen = new Map<string, Seen>();
  const note = (id: string, action: string) => {
    const s = seen.get(id)!;
    s.events.set(action, (s.events.get(action) ?? 0) + 1);
  };
  const ignoreRefusal = (error: unknown) => {
    // A refusal (not found, conflict, inactive key) is a legitimate answer to a race; anything
    // else is a bug.
    if (!(error instanceof AppError && (error.status === 404 || error.status === 409))) throw error;
  };
  let names = 0;
  for (const batch of plan) {
    const target = (n: number) => (keys.length ? keys[n % keys.length]! : null);
    await Promise.all(
      batch.map(async (c) => {
        try {
          if (c.kind === "create") {
            const { key, secret } = await createApiKey(db, user.id, { name: `n${c.name}`, description: null, access: "full", scopes: scopesFor("full"), expiresAt: null }, CONTEXT, PEPPER);
            keys.push(key.id);
            seen.set(key.id, { secrets: [secret], events: new Map(), removed: false, deleted: false });
            note(key.id, "api_key.created");
            return;
          }
          const id = target(c.slot);
          if (!id) return;
          if (c.kind === "rename") {
            const fresh = `r${c.name}-${names++}`; // never the current name, so a success is a real change
            await updateApiKey(db, user.id, id, { name: fresh }, CONTEXT);
            note(id, "api_key.renamed");
          } else if (c.kind === "rotate") {
            const { secret } = await rotateApiKey(db, user.id, id, { graceMs: 0, via: "dashboard" }, CONTEXT, PEPPER);
            seen.get(id)!.secrets.push(secret);
            note(id, "api_key.rotated");
          } else if (c.kind === "revoke") {
            await revokeApiKey(db, user.id, id, CONTEXT);
            seen.get(id)!.removed = true;
            note(id, "api_key.revoked");
          } else {
            await deleteApiKey(db, user.id, id, CONTEXT);
            Object.assign(seen.get(id)!, { removed: true, deleted: true });
            note(id, "api_key.deleted");
          }
        } catch (error) {
          ignoreRefusal(error);
        }
      }),
    );
  }
  return { user, keys, seen };
}

describe(`concurrent key operations against a model (${TEST_DRIVER})`, () => {
  it("leave a state every reported answer agrees with", async () => {
    const deps: VerifyDeps = {
      db: handle.db,
      pepper: PEPPER,
      limiter: new SyncedLimiter(60_000, async () => handle.db, 60_000),
      usage: new UsageRecorder(async () => handle.db, 60_000),
      ratePerMinute: 1_000_000,
    };
    await fc.assert(
      fc.asyncProperty(batches, async (plan) => {
        const { user, keys, seen } = await runScenario(plan);
        if (keys.length === 0) return;
        const rows = await handle.db.select().from(apiKeys).where(eq(apiKeys.userId, user.id));
        expect(rows.map((r) => r.id).sort()).toEqual([...keys].sort());
        const events = await handle.db
          .select({ action: auditEvents.action, targetId: auditEvents.targetId })
          .from(auditEvents)
          .where(and(inArray(auditEvents.targetId, keys), inArray(auditEvents.action, ["api_key.created", "api_key.renamed", "api_key.rotated", "api_key.revoked", "api_key.deleted"])));
        for (const row of rows) {
          const s = seen.get(row.id)!;
          // Revocation is reported iff it happened, and never undone; deletion likewise.
          expect(row.revokedAt !== null, `${row.id} revoked`).toBe(s.removed);
          expect(row.deletedAt !== null, `${row.id} deleted`).toBe(s.deleted);
          // One audit event per successful change, no more, no fewer.
          const logged = new Map<string, number>();
          for (const e of events.filter((e) => e.targetId === row.id)) logged.set(e.action, (logged.get(e.action) ?? 0) + 1);
          expect(Object.fromEntries(logged), `${row.id} events`).toEqual(Object.fromEntries(s.events));
          // Exactly one of the secrets ever issued for a live key works (no grace: every
          // rotation ended its predecessor); none works for a revoked one.
          const valid = [];
          for (const secret of s.secrets) if ((await verifyKey(deps, secret, { ip: null })).code === "VALID") valid.push(secret);
          expect(valid.length, `${row.id} working secrets`).toBe(s.removed ? 0 : 1);
        }
        // Names stay unique among the keys still listed, case-insensitively.
        const listed = rows.filter((r) => r.deletedAt === null).map((r) => r.name.toLowerCase());
        expect(new Set(listed).size).toBe(listed.length);
      }),
      { numRuns: 12, seed: 20261124, endOnFailure: true },
    );
  }, 120_000);
});
