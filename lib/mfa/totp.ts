import { generateSecret, generateURI, verify } from "otplib";

// TOTP (RFC 6238) as authenticator apps use it: SHA-1, 6 digits, 30-second steps, a 160-bit seed
// in base32. A code is accepted from the current step or one step either side (clock drift), and
// only for a step later than the last one accepted, so each code works once.

export const TOTP_PERIOD_SECONDS = 30;
/** One step either side of now: ±30 s of drift between the phone and the server. */
const EPOCH_TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;
export const TOTP_ISSUER = "Keysmith";

export const newTotpSecret = (): string => generateSecret({ length: 20 });

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: account, secret });
}

/** The time step a moment falls in. */
export const timeStepAt = (nowMs: number): number => Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);

/** Whether text is shaped like a code from an authenticator app (spaces allowed, as apps show "123 456"). */
export function asTotpCode(input: string): string | null {
  const digits = input.replace(/\s+/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The step a code belongs to, or null when it is wrong, outside the window, or from a step at or
 * before `lastStep` (already used: the same code twice is refused).
 */
export async function verifyTotp(secret: string, code: string, nowMs: number, lastStep: number | null): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: EPOCH_TOLERANCE_SECONDS,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  if (!result.valid) return null;
  // otplib's functional result is typed as HOTP's or TOTP's; TOTP's carries the step it matched.
  const step = "timeStep" in result && typeof result.timeStep === "number" ? result.timeStep : timeStepAt(nowMs) + result.delta;
  return step;
}
