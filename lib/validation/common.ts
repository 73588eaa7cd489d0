import { z } from "zod";
import { AppError } from "../errors";

// Characters that never belong in a name, description or reason, because they break logs and
// terminals or make text read differently from what it is:
// - control characters (C0, DEL, C1) and the Unicode line and paragraph separators;
// - bidi controls (embeddings, overrides, isolates, marks): an RTL override makes "gpj.exe"
//   read as "exe.jpg";
// - lone UTF-16 surrogates (not text at all; the database would silently store U+FFFD);
// - invisible ("default ignorable") characters such as a zero-width space, a word joiner, a BOM
//   or a soft hyphen, which make two different names look the same. The zero-width joiner and
//   non-joiner and variation selectors stay allowed: emoji sequences and Persian need them.
const FORBIDDEN =
  /[\p{Cc}\p{Cs}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|(?![\u200c\u200d\ufe00-\ufe0f\u{e0100}-\u{e01ef}])\p{Default_Ignorable_Code_Point}/u;
// Text with nothing a reader can see: white space and the invisible characters allowed above.
const NOTHING_VISIBLE = /^[\s\p{Default_Ignorable_Code_Point}]*$/u;

export const FORBIDDEN_TEXT_MESSAGE = "contains characters that are not allowed (control, invisible or text-direction characters)";

/** True when `value` holds a character that plain text fields refuse (see FORBIDDEN). */
export function hasForbiddenCharacters(value: string): boolean {
  return FORBIDDEN.test(value);
}

/**
 * One line of plain text: NFC-normalised (so "é" typed two ways is one name), trimmed, at most
 * `max` UTF-16 units, and free of the characters above. With `required`, text with nothing
 * visible in it gets that message; without, empty text is allowed (and text of only invisible
 * characters is refused). It is stored and rendered as text: HTML-looking input is fine.
 */
export const plainText = (label: string, max: number, options: { required?: string } = {}) =>
  z
    .string({ error: `${label} must be text.` })
    .normalize("NFC")
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .superRefine((v, ctx) => {
      if (FORBIDDEN.test(v)) ctx.addIssue({ code: "custom", message: `${label} ${FORBIDDEN_TEXT_MESSAGE}.` });
      else if (NOTHING_VISIBLE.test(v) && (options.required || v !== "")) {
        ctx.addIssue({ code: "custom", message: options.required ?? `${label} must contain visible characters, or be left empty.` });
      }
    });

export const uuidSchema = z.uuid({ error: "Not a valid id." });

/** zod issues -> one message per field (the first), keyed by the dotted path. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}

/** Parses, or refuses with validation_failed carrying one message per field (commands and actions alike). */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new AppError("validation_failed", { fieldErrors: fieldErrorsOf(result.error) });
  return result.data;
}
