/** A passkey as Profile lists it: dates already written in the viewer's time zone by the page. */
export type PasskeyItem = {
  id: string;
  name: string;
  added: string;
  addedExact: string;
  lastUsed: string | null;
  lastUsedExact: string | null;
  /** Synced to other devices by its provider (the backup-state flag). */
  synced: boolean;
};

/** What the browser's WebAuthn prompt said when it failed, in words. */
export function promptFailure(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === "NotAllowedError" || name === "AbortError") return "The passkey prompt was closed or timed out. Try again when you are ready.";
  if (name === "InvalidStateError") return "This device already holds a passkey for your account here. Use it to sign in, or add one on another device.";
  if (name === "SecurityError") return "This browser refused passkeys for this address. Open Keysmith at its usual https address and try again.";
  return "The passkey prompt failed. Try again, or use another device or browser.";
}

type AssertionOptions = Parameters<typeof import("@simplewebauthn/browser").startAuthentication>[0]["optionsJSON"];

/**
 * Asks the browser for a passkey assertion (sign-in, second step, "Confirm it's you"): the answer
 * as the JSON the server's action takes, or what went wrong in words. WebAuthn's library loads
 * only now, so no page pays for it until someone uses a passkey.
 */
export async function askForPasskey(options: AssertionOptions): Promise<{ ok: true; response: string } | { ok: false; message: string }> {
  try {
    const { startAuthentication } = await import("@simplewebauthn/browser");
    return { ok: true, response: JSON.stringify(await startAuthentication({ optionsJSON: options })) };
  } catch (error) {
    return { ok: false, message: promptFailure(error) };
  }
}
