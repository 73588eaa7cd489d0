import { z } from "zod";
import { PASSWORD_MAX, emailSchema, newPasswordSchema } from "./auth.schema";
import { plainText } from "./common";

// The Profile page's forms, checked on the server (the same rules the API's PATCH /profile uses for
// the name: one rule).

export const profileNameSchema = z.object({ name: plainText("Name", 80, { required: "Enter a name." }) });

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

/** Confirming who you are before a sensitive change (step-up). */
export const confirmIdentitySchema = z.object({ password: currentPasswordSchema });

/** The token is checked by the command (a wrong one is email_change_invalid, not a field error). */
export const confirmEmailSchema = z.object({ token: z.string().max(200) });

/** An admin's change to one user (suspend, reinstate, delete). */
export const userTargetInput = z.strictObject({ userId: z.uuid() });
