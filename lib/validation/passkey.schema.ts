import { z } from "zod";
import { PASSWORD_MAX } from "./auth.schema";
import { plainText } from "./common";

// Passkey forms and the browser's WebAuthn answers, checked on the server. The answers' contents
// (signatures, client data) are checked by the WebAuthn verification in lib/commands/passkeys.ts;
// here only their shape and size, so anything else is refused before any work.

export const PASSKEY_NAME_MAX = 64;
export const passkeyNameSchema = plainText("Name", PASSKEY_NAME_MAX, { required: "Enter a name for this passkey." });

const currentPassword = z
  .string({ error: "Enter your current password." })
  .min(1, "Enter your current password.")
  .max(PASSWORD_MAX, `Passwords here are at most ${PASSWORD_MAX} characters: check what you pasted.`);

export const beginPasskeyRegistrationSchema = z.strictObject({ currentPassword });
export const removePasskeySchema = z.strictObject({ passkeyId: z.uuid(), currentPassword });
export const renamePasskeySchema = z.strictObject({ passkeyId: z.uuid(), name: passkeyNameSchema });

const b64url = z.string().max(4096).regex(/^[A-Za-z0-9_-]*$/);
const transports = z.array(z.string().max(32)).max(10).optional();

/** A PublicKeyCredential from navigator.credentials.create, as @simplewebauthn/browser sends it. */
export const registrationResponseSchema = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    transports,
    publicKeyAlgorithm: z.number().optional(),
    publicKey: b64url.optional(),
    authenticatorData: b64url.optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** A PublicKeyCredential from navigator.credentials.get. */
export const authenticationResponseSchema = z.object({
  id: b64url.min(1),
  rawId: b64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

export const finishPasskeyRegistrationSchema = z.strictObject({
  name: passkeyNameSchema,
  currentPassword,
  response: registrationResponseSchema,
});

/** A response as JSON text (a form field, or next-auth's credentials body): at most 16 KB. */
export const responseText = z.string().max(16_384);
