import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Prometheus metrics for operators. Never served publicly: server.mjs answers them only on
// METRICS_PORT (127.0.0.1 unless METRICS_HOST says otherwise), with METRICS_TOKEN as a Bearer
// token when set. Updating a counter or a histogram is a few arithmetic operations in memory, so
// the verification path pays nothing measurable (BENCHMARKS.md). One registry per process, kept
// on globalThis so server.mjs reaches the same one as the app.

type Metrics = ReturnType<typeof create>;
const g = globalThis as unknown as { __keysmithMetrics?: Metrics };

/** What a pool says of its connections (pg and Neon pools). */
export type PoolStats = { readonly totalCount: number; readonly idleCount: number; readonly waitingCount: number };

function create() {
  const registry = new Registry();
  let pool: PoolStats | undefined;
  collectDefaultMetrics({ register: registry, prefix: "keysmith_" });
  return {
    registry,
    verifications: new Counter({
      name: "keysmith_verifications_total",
      help: "API key verifications, by result (VALID, NOT_FOUND, REVOKED, EXPIRED, USER_SUSPENDED, INSUFFICIENT_SCOPE, RATE_LIMITED).",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    verificationSeconds: new Histogram({
      name: "keysmith_verification_duration_seconds",
      help: "Time verifyKey() takes, lookup included.",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    lookups: new Counter({
      name: "keysmith_key_lookups_total",
      help: "Key lookups by where the answer came from: the embedded database's in-process cache, or the database.",
      labelNames: ["source"] as const,
      registers: [registry],
    }),
    limiter: new Counter({
      name: "keysmith_ratelimit_decisions_total",
      help: "Per-key limit decisions: admitted or refused.",
      labelNames: ["decision"] as const,
      registers: [registry],
    }),
    limiterSyncs: new Counter({
      name: "keysmith_ratelimit_syncs_total",
      help: "Exchanges of per-key counts with the database, by outcome.",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    usageFlushes: new Counter({
      name: "keysmith_usage_flushes_total",
      help: "Batched writes of usage counts and last-used marks, by outcome.",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    usagePending: new Gauge({
      name: "keysmith_usage_pending_entries",
      help: "Usage entries waiting in memory to be written.",
      registers: [registry],
    }),
    pool: new Gauge({
      name: "keysmith_db_pool_connections",
      help: "Database pool connections: total, idle and waiting clients (pg and Neon pools).",
      labelNames: ["state"] as const,
      registers: [registry],
      collect() {
        // Read when scraped; the embedded database has no pool (one connection in the process).
        if (!pool) return;
        this.set({ state: "total" }, pool.totalCount);
        this.set({ state: "idle" }, pool.idleCount);
        this.set({ state: "waiting" }, pool.waitingCount);
      },
    }),
    /** The server's database pool, handed over at start (instrumentation.ts). */
    watchPool(stats: PoolStats | undefined) {
      pool = stats;
    },
  };
}

export function metrics(): Metrics {
  g.__keysmithMetrics ??= create();
  return g.__keysmithMetrics;
}
