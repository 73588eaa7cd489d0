import { eq } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { replaceSeal } from "@/db/queries/seals";
import { totpFactors, users } from "@/db/schema";
import { seal, sealedWith, unseal } from "@/lib/crypto/seal";
import { hashPassword } from "@/lib/password";
import { resetSecretsCache } from "@/lib/secrets";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeUser } from "@/test/fixtures";
import type { Actor } from "./actor";
import { resealSecondFactorSeeds } from "./reseal";
import { confirmTotpSetup, finishSecondFactor, seedSealContext, startSecondFactor, startTotpSetup } from "./second-factor";

// Rotating ENCRYPTION_KEY: every authenticator seed sealed with the old key is sealed again with the
// new one (enabled seeds and set-ups in progress), after which the old key can go; a seed no
// configured key opens is counted and left alone; running it again changes nothing.

const OLD = "reseal-test-old-encryption-key-0123456789abcdef";
const NEW = "reseal-test-new-encryption-key-0123456789abcdef";
const GONE = "reseal-test-lost-encryption-key-0123456789abcde";
const PASSWORD = "correct horse battery staple";
const env = { ...process.env };
let handle: DbHandle;

function useKeys(current: string, previous: string[] = []) {
  process.env.ENCRYPTION_KEY = current;
  process.env.ENCRYPTION_KEY_PREVIOUS = previous.join(",");
  resetSecretsCache();
}

beforeAll(async () => {
  process.env.AUTH_SECRET = "reseal-test-auth-secret-0123456789abcdefghijklm";
  process.env.KEY_PEPPER = "reseal-test-key-pepper-0123456789abcdefghijklmn";
  useKeys(OLD);
  handle = await openTestDb();
});
afterAll(async () => {
  process.env = env;
  resetSecretsCache();
  await handle?.close();
});

const actorOf = (userId: string): Actor => ({ userId, context: CONTEXT, clockOffsetMs: 0, authenticatedAt: new Date() });
const code = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) });
const rowOf = async (userId: string) => (await handle.db.select().from(totpFactors).where(eq(totpFactors.userId, userId)))[0]!;

async function member() {
  const user = await makeUser(handle.db, { email: `reseal-${crypto.randomUUID()}@example.test` });
  await handle.db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.id));
  return user;
}

describe(`re-sealing authenticator seeds after a key rotation (${TEST_DRIVER})`, () => {
  it("seals every seed again with the new key, leaves what no key opens, and a second run changes nothing", async () => {
    const enabled = await member();
    const setup = await startTotpSetup(handle.db, actorOf(enabled.id));
    const { recoveryCodes } = await confirmTotpSetup(handle.db, actorOf(enabled.id), { currentPassword: PASSWORD, code: await code(setup.secret) });
    const pending = await member();
    const pendingSetup = await startTotpSetup(handle.db, actorOf(pending.id));
    const lost = await member();
    await handle.db.insert(totpFactors).values({ userId: lost.id, secret: seal("JBSWY3DPEHPK3PXP", seedSealContext(lost.id), GONE), enabledAt: new Date() });

    useKeys(NEW, [OLD]);
    // Recovery codes are digests keyed by the key they were made under: they work while it is listed as previous.
    const withRecoveryCode = async (recovery: string) =>
      (await finishSecondFactor(handle.db, { token: await startSecondFactor(handle.db, enabled.id, { clockOffsetMs: 0 }), code: recovery, renewal: false }, CONTEXT, 0)).ok;
    expect(await withRecoveryCode(recoveryCodes[0]!)).toBe(true);
    const first = await resealSecondFactorSeeds(handle.db, { batch: 2 });
    expect(first).toMatchObject({ resealed: 2, unreadable: 1, changed: 0 });

    const enabledRow = await rowOf(enabled.id);
    expect(sealedWith(enabledRow.secret!, NEW)).toBe(true);
    expect(unseal(enabledRow.secret!, seedSealContext(enabled.id), [NEW])).toBe(setup.secret);
    const pendingRow = await rowOf(pending.id);
    expect(unseal(pendingRow.pendingSecret!, seedSealContext(pending.id), [NEW])).toBe(pendingSetup.secret);
    expect((await rowOf(lost.id)).secret).toContain(".");
    expect(sealedWith((await rowOf(lost.id)).secret!, NEW)).toBe(false);

    // The old key gone: the authenticator app still signs in; a recovery code made under it no longer does.
    useKeys(NEW);
    expect(await withRecoveryCode(recoveryCodes[1]!)).toBe(false);
    const token = await startSecondFactor(handle.db, enabled.id, { clockOffsetMs: 60_000 });
    const outcome = await finishSecondFactor(handle.db, { token, code: await generate({ secret: setup.secret, epoch: Math.floor((Date.now() + 60_000) / 1000) }), renewal: false }, CONTEXT, 60_000);
    expect(outcome.ok).toBe(true);

    const second = await resealSecondFactorSeeds(handle.db);
    expect(second.resealed).toBe(0);
    expect(second.unreadable).toBe(1);
    expect(second.current).toBeGreaterThanOrEqual(2);
  });

  it("replaces a seal only if the row still holds the one that was opened", async () => {
    useKeys(NEW);
    const user = await member();
    const setup = await startTotpSetup(handle.db, actorOf(user.id));
    const before = (await rowOf(user.id)).pendingSecret!;
    expect(await replaceSeal(handle.db, user.id, "pendingSecret", `${before}x`, "v1.other")).toBe(false);
    expect((await rowOf(user.id)).pendingSecret).toBe(before);
    expect(await replaceSeal(handle.db, user.id, "pendingSecret", before, seal(setup.secret, seedSealContext(user.id), NEW))).toBe(true);
  });
});
