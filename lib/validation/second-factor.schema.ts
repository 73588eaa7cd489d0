import { z } from "zod";
import { MFA_POLICIES } from "../mfa/policy";
import { PASSWORD_MAX } from "./auth.schema";

// Second-factor forms, checked on the server: every change needs the current password and a
// current code from the app (checklist A-03).

export const factorChangeSchema = z.object({
  currentPassword: z
    .string({ error: "Enter your current password." })
    .min(1, "Enter your current password.")
    .max(PASSWORD_MAX, `Passwords here are at most ${PASSWORD_MAX} characters: check what you pasted.`),
  code: z
    .string({ error: "Type the 6-digit code your authenticator app shows." })
    .transform((v) => v.replace(/\s+/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Type the 6 digits your authenticator app shows now, without letters.")),
});

export const mfaPolicySchema = z.object({
  policy: z.enum(MFA_POLICIES, { error: "Choose one of the listed options." }),
});
