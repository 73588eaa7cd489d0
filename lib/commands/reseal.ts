import "server-only";
// After ENCRYPTION_KEY rotates (the new key in ENCRYPTION_KEY, the old in ENCRYPTION_KEY_PREVIOUS),
// every authenticator seed sealed with an old key is opened and sealed again with the new one, so
// the old key can then be dropped. `npm run secrets:reseal` runs it (scripts/reseal.ts); it is safe
// to run again, and while the app serves: each row is replaced only if it still holds what was opened.
import type { Database } from "@/db";
import { replaceSeal, sealedSeedsPage } from "@/db/queries/seals";
import { config } from "../config";
import { seal, sealedWith, unseal } from "../crypto/seal";
import { log } from "../log";
import { getSecrets } from "../secrets";
import { seedSealContext } from "./second-factor";


export type ResealReport = {
  /** Seeds already sealed with the current key. */
  current: number;
  /** Seeds sealed again with the current key by this run. */
  resealed: number;
  /** Seeds no configured key opens (sealed with a key that is gone, or altered): left as they are. */
  unreadable: number;
  /** Seeds that changed while this ran (turned off or set up again): left to their new value. */
  changed: number;
};

export async function resealSecondFactorSeeds(db: Database, options: { batch?: number } = {}): Promise<ResealReport> {
  const current = getSecrets().encryptionKey;
  const keys = [current, ...config.encryptionKeysPrevious];
  const report: ResealReport = { current: 0, resealed: 0, unreadable: 0, changed: 0 };
  let after: string | null = null;
  for (;;) {
    const page = await sealedSeedsPage(db, after, options.batch ?? 500);
    if (page.length === 0) break;
    for (const row of page) {
      for (const column of ["secret", "pendingSecret"] as const) {
        const sealed = row[column];
        if (!sealed) continue;
        if (sealedWith(sealed, current)) {
          report.current++;
          continue;
        }
        let seed: string;
        try {
          seed = unseal(sealed, seedSealContext(row.userId), keys);
        } catch {
          report.unreadable++;
          continue;
        }
        if (await replaceSeal(db, row.userId, column, sealed, seal(seed, seedSealContext(row.userId), current))) report.resealed++;
        else report.changed++;
      }
    }
    after = page[page.length - 1]!.userId;
  }
  log.info("seals.resealed", report);
  return report;
}
