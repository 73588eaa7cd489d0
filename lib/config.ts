import path from "node:path";

// Every environment variable the app reads, in one place (the README lists the same set).
export const config = {
  get databaseUrl(): string | undefined {
    return process.env.DATABASE_URL?.trim() || undefined;
  },
  get databaseDriver(): string | undefined {
    return process.env.DATABASE_DRIVER?.trim() || undefined;
  },
  /** Where the embedded database and generated secrets live when no DATABASE_URL is set. */
  get dataDir(): string {
    return path.resolve(/* turbopackIgnore: true */ process.cwd(), process.env.KEYSMITH_DATA_DIR?.trim() || ".data");
  },
  /** PGlite folder; "memory://" keeps it in memory (tests). */
  get pgliteDir(): string {
    return process.env.PGLITE_DATA_DIR?.trim() || path.join(/* turbopackIgnore: true */ this.dataDir, "pglite");
  },
  get isProduction(): boolean {
    return process.env.NODE_ENV === "production";
  },
  get adminEmails(): string[] {
    return (process.env.ADMIN_EMAILS ?? "")
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean);
  },
};
