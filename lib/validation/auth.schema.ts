import { z } from "zod";
import { plainText } from "./common";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }));

/** A password being chosen (sign-up, reset, change). */
export const newPasswordSchema = z
  .string({ error: "Choose a password." })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters for your password.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

export const signUpSchema = z.object({
  name: plainText("Name", 80, { required: "Enter your name." }),
  email: emailSchema,
  password: newPasswordSchema,
});

export const forgotPasswordSchema = z.object({ email: emailSchema });

/** The token is checked by the command (a wrong one is reset_link_invalid, not a field error). */
export const resetPasswordSchema = z.object({
  token: z.string({ error: "Open the link from your reset mail again." }).max(200, "Open the link from your reset mail again."),
  password: newPasswordSchema,
});

/** Finishing a sign-up from its link: the token (checked by the command) and the password chosen at sign-up. */
export const confirmSignUpSchema = z.object({
  token: z.string({ error: "Open the link from your sign-up mail again." }).max(200, "Open the link from your sign-up mail again."),
  password: z
    .string({ error: "Type the password you chose when you signed up." })
    .min(1, "Type the password you chose when you signed up.")
    .max(PASSWORD_MAX, `Passwords here are at most ${PASSWORD_MAX} characters: check what you pasted.`),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(PASSWORD_MAX, `Passwords here are at most ${PASSWORD_MAX} characters: check what you pasted.`),
});
