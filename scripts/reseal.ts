// `npm run secrets:reseal`: after rotating ENCRYPTION_KEY (new value in ENCRYPTION_KEY, the old one in
// ENCRYPTION_KEY_PREVIOUS), seals every authenticator seed again with the new key, so the old one can
// be removed. Safe to run twice and while the app serves. Reads the same environment as the app
// (DATABASE_URL, or the embedded database in ./.data). Exit code 1 when a seed no configured key opens.
import { openDatabase } from "../db/client";
import { config } from "../lib/config";
import { resealSecondFactorSeeds } from "../lib/commands/reseal";

const handle = await openDatabase({ url: config.databaseUrl, driver: config.databaseDriver, pgliteDir: config.pgliteDir });
try {
  const report = await resealSecondFactorSeeds(handle.db);
  console.log(`Authenticator seeds: ${report.resealed} sealed again with the current ENCRYPTION_KEY, ${report.current} already were, ${report.changed} changed while this ran, ${report.unreadable} opened by no configured key.`);
  if (report.unreadable > 0) {
    console.log("Those accounts cannot use their authenticator app: an admin resets their second factor (Admin -> Users), or put the key that sealed them back in ENCRYPTION_KEY_PREVIOUS and run this again.");
    process.exitCode = 1;
  } else if (config.encryptionKeysPrevious.length > 0) {
    console.log("No authenticator seed needs ENCRYPTION_KEY_PREVIOUS any more. Recovery codes made before the rotation still do: they stop working when the old key is removed.");
  }
} finally {
  await handle.close();
}
