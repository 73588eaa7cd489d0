import { z } from "zod";
import { SIGN_UP_MODES, parseDomainList } from "../accounts/sign-up-policy";
import { emailSchema, newPasswordSchema } from "./auth.schema";
import { plainText } from "./common";

// The forms of "who may join", checked on the server: an admin's invitation, the invitee's
// acceptance, and the sign-up settings.

export const INVITE_ROLES = ["member", "admin"] as const;

export const invitationSchema = z.object({
  email: emailSchema,
  role: z.enum(INVITE_ROLES, { error: "Choose Member or Admin." }),
});

export const revokeInvitationInput = z.strictObject({ invitationId: z.uuid() });

/** The token is checked by the command (a wrong one is invitation_invalid, not a field error). */
export const acceptInvitationSchema = z.object({
  token: z.string({ error: "Open the link from your invitation again." }).max(200, "Open the link from your invitation again."),
  name: plainText("Name", 80, { required: "Enter your name." }),
  password: newPasswordSchema,
});

export const invitationTokenInput = z.string().max(200);

/** Admin -> Settings: the mode, and the domain list (one per line, or separated by commas). */
export const signUpSettingsSchema = z.object({
  mode: z.enum(SIGN_UP_MODES, { error: "Choose who may sign up." }),
  domains: z
    .string({ error: "The domains must be text." })
    .max(5_000, "The list is too long: list at most 50 domains.")
    .default("")
    .transform((text, ctx) => {
      const parsed = parseDomainList(text);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      return parsed.domains;
    }),
});
