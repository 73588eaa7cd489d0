import { z } from "zod";
import { PASSWORD_MAX, emailSchema, newPasswordSchema } from "./auth.schema";
import { asRecoveryCode } from "../mfa/recovery-codes";
import { plainText } from "./common";
import { responseText } from "./passkey.schema";

// The Profile page's forms, checked on the server (the same rules the API's PATCH /profile uses for
// the name: one rule).

/** The longest display name (the profile form says so to the browser too). */
export const PROFILE_NAME_MAX = 80;
export const profileNameSchema = z.object({ name: plainText("Name", PROFILE_NAME_MAX, { required: "Enter a name." }) });

/** The password a signed-in user types to prove it is them (changing a credential, confirming who they are). */
const currentPasswordSchema = z
  .string({ error: "Enter your current password." })
  .min(1, "Enter your current password.")
  .max(PASSWORD_MAX, `Passwords here are at most ${PASSWORD_MAX} characters: check what you pasted.`);

export const changePasswordSchema = z
  .object({
    currentPassword: currentPasswordSchema,
    newPassword: newPasswordSchema,
    confirmPassword: z.string({ error: "Type the new password again." }),
  })
  .refine((v) => v.confirmPassword === v.newPassword, { path: ["confirmPassword"], message: "The two new passwords differ. Type the new password again." });

/** Moving the account to a new address: the current password proves it is the owner asking. */
export const changeEmailSchema = z.object({
  newEmail: emailSchema,
  currentPassword: currentPasswordSchema,
});

/**
 * A code from the authenticator app, for confirming who you are. A recovery code is refused here
 * (before anything is counted): it is for a lost device, not for a sensitive change.
 */
const stepUpCodeSchema = z
  .string({ error: "Type the 6-digit code your authenticator app shows." })
  .transform((v) => v.replace(/\s+/g, ""))
  .superRefine((v, ctx) => {
    if (/^\d{6}$/.test(v)) return;
    ctx.addIssue({
      code: "custom",
      message: asRecoveryCode(v)
        ? "Recovery codes are for a lost device, not for confirming a change. Type the 6-digit code your authenticator app shows, or use another way."
        : v === ""
          ? "Type the 6-digit code your authenticator app shows."
          : "Type the 6 digits your authenticator app shows now, without letters.",
    });
  });

/** A passkey's answer as the browser sends it (JSON text); its content is checked by verifyPasskeyAssertion. */
const passkeyAnswerSchema = responseText.transform((text, ctx): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    ctx.addIssue({ code: "custom", message: "That passkey answer could not be read. Try again." });
    return z.NEVER;
  }
});

/** Confirming who you are before a sensitive change (step-up): the password, an authenticator code, or a passkey. */
export const confirmIdentitySchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("password"), password: currentPasswordSchema }),
  z.object({ method: z.literal("totp"), code: stepUpCodeSchema }),
  z.object({ method: z.literal("passkey"), response: passkeyAnswerSchema }),
]);
export type IdentityConfirmation = z.output<typeof confirmIdentitySchema>;

/** The token is checked by the command (a wrong one is email_change_invalid, not a field error). */
export const confirmEmailSchema = z.object({ token: z.string().max(200) });

/** An admin's change to one user (suspend, reinstate, delete). */
export const userTargetInput = z.strictObject({ userId: z.uuid() });
