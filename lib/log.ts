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

export function errorFields(error: unknown): Fields {
  if (error instanceof Error) {
    // Drizzle's query errors put the SQL parameters (key digests, emails) into their message:
    // log the driver's own error, which names the problem without the values.
    const shown = "params" in error && error.cause instanceof Error ? error.cause : error;
    const code = (shown as { code?: unknown }).code;
    return { error: error.name, message: shown.message, ...(code ? { code } : {}) };
  }
  return { error: String(error) };
}
