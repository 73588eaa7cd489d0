import { defineConfig } from "drizzle-kit";

// `drizzle-kit generate` needs no database: it diffs db/schema.ts against db/migrations.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  casing: "snake_case",
});
