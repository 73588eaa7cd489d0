// `npm run db:migrate`: applies db/migrations to DATABASE_URL (or the embedded database).
import { openDatabase, resolveDriver } from "./client";
import { config } from "../lib/config";

const handle = await openDatabase({
  url: config.databaseUrl,
  driver: config.databaseDriver,
  pgliteDir: config.pgliteDir,
});
await handle.migrate();
console.log(`Migrations applied (${resolveDriver(config.databaseUrl, config.databaseDriver)}).`);
await handle.close();
