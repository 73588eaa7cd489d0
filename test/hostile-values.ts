// One catalogue of hostile input, shared by the schema tests (Vitest) and the HTTP and browser
// tests (Playwright). Each value says what a plain-text field (a key name, a description, a
// person's name, a revoke reason) must do with it: refuse it with a message, or store it as the
// text it is (HTML and SQL are just characters once they are rendered as text and bound as
// parameters). Plain TypeScript without test-runner imports, so both runners can load it.

export type HostileClass =
  | "overlong"
  | "empty"
  | "whitespace"
  | "control"
  | "nul"
  | "bidi"
  | "invisible"
  | "surrogate"
  | "html"
  | "sql"
  | "unicode";

export type HostileString = {
  label: string;
  value: string;
  class: HostileClass;
  /** What a required plain-text field does with it. "accept" means stored as this text (NFC, trimmed). */
  text: "reject" | "accept";
};

/** Hostile strings for a plain-text field limited to `max` characters (code points, as zod counts). */
export function hostileStrings(max: number): HostileString[] {
  return [
    { label: `${max + 1} characters (one over)`, value: "x".repeat(max + 1), class: "overlong", text: "reject" },
    { label: `${max} characters + padding spaces`, value: ` ${"x".repeat(max)} `, class: "overlong", text: "accept" },
    // Huge, yet under the API's 64 KB body limit so it reaches validation (2 MB bodies: 413).
    { label: "20,000 characters", value: "y".repeat(20_000), class: "overlong", text: "reject" },
    // zod counts code points, like a person counts characters: an emoji is one.
    { label: `${max} emoji (two UTF-16 units each)`, value: "🔑".repeat(max), class: "overlong", text: "accept" },
    { label: `${max + 1} emoji`, value: "🔑".repeat(max + 1), class: "overlong", text: "reject" },
    { label: "empty", value: "", class: "empty", text: "reject" },
    { label: "spaces only", value: "     ", class: "whitespace", text: "reject" },
    { label: "tabs and newlines only", value: "\t\n\r\n", class: "whitespace", text: "reject" },
    { label: "no-break and ideographic spaces only", value: "\u00a0\u3000\u2003", class: "whitespace", text: "reject" },
    { label: "a newline inside", value: "a\nb", class: "control", text: "reject" },
    { label: "a carriage return inside", value: "a\rb", class: "control", text: "reject" },
    { label: "a tab inside", value: "a\tb", class: "control", text: "reject" },
    { label: "an escape sequence (ANSI colour)", value: "\u001b[31mred\u001b[0m", class: "control", text: "reject" },
    { label: "a bell", value: "ding\u0007", class: "control", text: "reject" },
    { label: "DEL", value: "a\u007fb", class: "control", text: "reject" },
    { label: "a C1 control (NEL)", value: "a\u0085b", class: "control", text: "reject" },
    { label: "a C1 control (CSI)", value: "a\u009b31mb", class: "control", text: "reject" },
    { label: "a line separator", value: "a\u2028b", class: "control", text: "reject" },
    { label: "a paragraph separator", value: "a\u2029b", class: "control", text: "reject" },
    { label: "NUL inside", value: "a\u0000b", class: "nul", text: "reject" },
    { label: "NUL only", value: "\u0000", class: "nul", text: "reject" },
    { label: "a trailing NUL", value: "name\u0000", class: "nul", text: "reject" },
    { label: "an RTL override", value: "invoice\u202egpj.exe", class: "bidi", text: "reject" },
    { label: "an LTR override", value: "a\u202db", class: "bidi", text: "reject" },
    { label: "an RTL embedding", value: "a\u202bb", class: "bidi", text: "reject" },
    { label: "a pop directional formatting", value: "a\u202cb", class: "bidi", text: "reject" },
    { label: "an RTL isolate", value: "a\u2067b\u2069", class: "bidi", text: "reject" },
    { label: "a first-strong isolate", value: "a\u2068b", class: "bidi", text: "reject" },
    { label: "a right-to-left mark", value: "a\u200fb", class: "bidi", text: "reject" },
    { label: "an Arabic letter mark", value: "a\u061cb", class: "bidi", text: "reject" },
    { label: "a zero-width space", value: "ad\u200bmin", class: "invisible", text: "reject" },
    { label: "a word joiner", value: "ad\u2060min", class: "invisible", text: "reject" },
    { label: "a byte order mark inside", value: "na\ufeffme", class: "invisible", text: "reject" },
    { label: "a leading byte order mark (trimmed away)", value: "\ufeffname", class: "invisible", text: "accept" },
    { label: "a soft hyphen", value: "ad\u00admin", class: "invisible", text: "reject" },
    { label: "zero-width joiners only", value: "\u200d\u200d", class: "invisible", text: "reject" },
    { label: "a Hangul filler only", value: "\u3164", class: "invisible", text: "reject" },
    { label: "a lone high surrogate", value: "a\ud800b", class: "surrogate", text: "reject" },
    { label: "a lone low surrogate", value: "a\udc00b", class: "surrogate", text: "reject" },
    { label: "an img onerror", value: "<img src=x onerror=alert(1)>", class: "html", text: "accept" },
    { label: "a closing quote and script", value: '"><script>alert(1)</script>', class: "html", text: "accept" },
    { label: "a javascript: URL", value: "javascript:alert(1)", class: "html", text: "accept" },
    { label: "an anchor with a javascript: href", value: '<a href="javascript:alert(1)">x</a>', class: "html", text: "accept" },
    { label: "an svg onload", value: "<svg onload=alert(1)>", class: "html", text: "accept" },
    { label: "a template expression", value: "{{constructor.constructor('alert(1)')()}}", class: "html", text: "accept" },
    { label: "HTML entities", value: "&lt;b&gt; &amp; &#x3C;", class: "html", text: "accept" },
    { label: "a SQL injection", value: "'; drop table users; --", class: "sql", text: "accept" },
    { label: "a tautology", value: "' or '1'='1", class: "sql", text: "accept" },
    { label: "LIKE wildcards", value: "100% _done_", class: "sql", text: "accept" },
    { label: "backslashes", value: "C:\\temp\\%_\\", class: "sql", text: "accept" },
    { label: "a CSV formula", value: "=HYPERLINK(\"http://x\")", class: "sql", text: "accept" },
    { label: "decomposed accents (NFD)", value: "Cafe\u0301 Ame\u0301lie", class: "unicode", text: "accept" },
    { label: "a compatibility ligature", value: "\ufb01le", class: "unicode", text: "accept" },
    { label: "emoji with a zero-width joiner", value: "team 👩\u200d💻", class: "unicode", text: "accept" },
    { label: "Persian with a zero-width non-joiner", value: "می\u200cخواهم", class: "unicode", text: "accept" },
    { label: "Hebrew (right-to-left text, no override)", value: "מפתח", class: "unicode", text: "accept" },
    { label: "astral characters", value: "𝔨𝔢𝔶 🔑", class: "unicode", text: "accept" },
  ];
}

/** The text a plain-text field stores for an accepted value. */
export function storedText(value: string): string {
  return value.normalize("NFC").trim();
}

/** Values of the wrong JSON type for a string, number or array field. */
export const WRONG_TYPES: { label: string; value: unknown }[] = [
  { label: "a number", value: 42 },
  { label: "a negative float", value: -1.5 },
  { label: "an array", value: ["a"] },
  { label: "an empty array", value: [] },
  { label: "an object", value: { a: 1 } },
  { label: "an object with a toString", value: { toString: "x" } },
  { label: "null", value: null },
  { label: "true", value: true },
  { label: "false", value: false },
];

/** Values for a numeric query parameter (paging, days), as they arrive: strings. */
export const HOSTILE_NUMBERS: string[] = [
  "-1",
  "0",
  "-0",
  "1.5",
  "1e309",
  "1e3",
  "Infinity",
  "-Infinity",
  "NaN",
  "abc",
  "",
  " ",
  "0x10",
  "9".repeat(400),
  "99999999999999999999",
  "1;drop table users",
  "1%00",
  "\u0000",
  "١٢", // Arabic-Indic digits
];

/** Values for a date-only field (YYYY-MM-DD). */
export const HOSTILE_DAYS: string[] = [
  "2026-02-30",
  "2026-13-01",
  "2026-00-10",
  "0000-01-01",
  "0001-01-01",
  "9999-12-31",
  "+275760-09-13",
  "-000001-01-01",
  "12/01/2026",
  "2026-1-1",
  "2026-01-01T00:00:00Z",
  "now",
  "",
  "2026-01-01\u0000",
];

/** Values for an ISO date-time field. */
export const HOSTILE_DATETIMES: string[] = [
  "2027-02-31T00:00:00Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "+275760-09-13T00:00:00Z",
  "2026-01-01",
  "2026-01-01T25:00:00Z",
  "2026-01-01T00:00:00+25:00",
  "tomorrow",
  "1e12",
  "",
  "2026-01-01T00:00:00Z\u0000",
];

/** Ids that are not UUIDs, or are UUIDs of nothing. */
export const HOSTILE_IDS: string[] = [
  "1",
  "-1",
  "0",
  "not-a-uuid",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "00000000-0000-4000-8000-00000000000g",
  "00000000-0000-4000-8000-0000000000000",
  "{00000000-0000-4000-8000-000000000000}",
  "00000000000040008000000000000000",
  "' or 1=1 --",
  "..",
  "%00",
  "a".repeat(5000),
  "<script>",
];
