// One JSON object per line. Values pass through JSON.stringify, so a newline in user input
// cannot start a forged log line. Never pass secrets, keys, hashes or cookies here.
type Fields = Record<string, unknown>;

function write(level: "info" | "warn" | "error", event: string, fields: Fields = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  info: (event: string, fields?: Fields) => write("info", event, fields),
  warn: (event: string, fields?: Fields) => write("warn", event, fields),
  error: (event: string, fields?: Fields) => write("error", event, fields),
};

/**
 * What is safe to log about an error. Drizzle's query errors put the SQL and its parameters in
 * their message, and a parameter may be a key's digest or a password hash, so for those only the
 * driver's underlying error (its code, constraint and message, which carry no parameter values)
 * is logged. No stack traces: they add nothing an operator can act on and may quote input.
 */
export function errorFields(error: unknown): Fields {
  if (!(error instanceof Error)) return { error: typeof error };
  const isQueryError = "query" in error && "params" in error;
  const root = isQueryError && error.cause instanceof Error ? error.cause : error;
  const { code, constraint } = root as { code?: unknown; constraint?: unknown };
  return {
    error: root.name,
    message: isQueryError && root === error ? "query failed" : root.message.slice(0, 300),
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof constraint === "string" ? { constraint } : {}),
  };
}

const CONSOLE_LEVELS = { log: "info", info: "info", debug: "info", warn: "warn", error: "error" } as const;
const ANSI = /\x1b\[[0-9;]*m/g;

/** One console call as log fields: the first Error through errorFields (plus Next's digest), the rest as text. */
export function consoleFields(args: unknown[]): Fields {
  const error = args.find((a): a is Error => a instanceof Error);
  const text = args
    .filter((a) => typeof a === "string" || typeof a === "number" || typeof a === "boolean")
    .map((a) => String(a).replace(ANSI, "").replace(/^[⨯⚠▲○✓»]\s*/u, ""))
    .join(" ")
    .trim()
    .slice(0, 500);
  const digest = (error as { digest?: unknown } | undefined)?.digest;
  return {
    ...(text ? { text } : {}),
    ...(error ? errorFields(error) : {}),
    ...(typeof digest === "string" ? { digest } : {}),
  };
}

/**
 * Makes everything the server process prints one JSON object per line, like `log` does: Next.js
 * prints a page's render error with console.error(error), which spreads a stack and a failed
 * query's SQL and parameters over many lines. Lines that already are JSON pass through as they
 * are. Called once at start-up (instrumentation.ts).
 */
export function captureConsole(): void {
  const marker = console as unknown as { __keysmithJson?: boolean };
  if (marker.__keysmithJson) return;
  marker.__keysmithJson = true;
  for (const method of Object.keys(CONSOLE_LEVELS) as (keyof typeof CONSOLE_LEVELS)[]) {
    // Straight to the stream: Next's own console wrapper would wrap a line in colour codes
    // (it dims what is logged during an aborted render), and then it is no longer JSON.
    const stream = CONSOLE_LEVELS[method] === "info" ? process.stdout : process.stderr;
    console[method] = (...args: unknown[]) => {
      const line =
        args.length === 1 && typeof args[0] === "string" && args[0].startsWith("{") && !args[0].includes("\n")
          ? args[0]
          : JSON.stringify({ time: new Date().toISOString(), level: CONSOLE_LEVELS[method], event: "console", ...consoleFields(args) });
      stream.write(`${line}\n`);
    };
  }
}
