import { z } from "zod";

// Control characters (C0, DEL, C1) and bidi overrides/isolates never belong in a name: they
// break logs and can disguise text (e.g. an RTL override making "gpj.exe" read as "exe.jpg").
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]/;

export const plainText = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .refine((v) => !FORBIDDEN.test(v), `${label} contains characters that are not allowed.`);

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
