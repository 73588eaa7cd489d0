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
