import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { getSecrets } from "../secrets";

// A step-up proof: the server's signed word that a user confirmed who they are at a given time,
// handed by the confirming server action straight to Auth.js's session update (it never reaches
// the browser). The session's jwt callback accepts only a proof it can verify, for the session's own
// user and session version, made in the last minute: a browser posting its own "update" to
// /api/auth/session cannot make a session look freshly authenticated.

const MAX_AGE_SECONDS = 60;

function signature(userId: string, sessionVersion: number, at: number): string {
  return createHmac("sha256", getSecrets().authSecret).update(`step-up|${userId}|${sessionVersion}|${at}`).digest("base64url");
}

/** A proof that `userId` (at `sessionVersion`) authenticated at `at` (seconds since the epoch). */
export function mintStepUpProof(userId: string, sessionVersion: number, at: number): string {
  return `${at}.${signature(userId, sessionVersion, at)}`;
}

/** The authentication time a proof vouches for, or null when it is not a valid, recent proof for this session. */
export function readStepUpProof(proof: unknown, userId: string, sessionVersion: number, nowSeconds: number): number | null {
  if (typeof proof !== "string" || proof.length > 200) return null;
  const match = /^(\d{1,12})\.([\w-]{43})$/.exec(proof);
  if (!match) return null;
  const at = Number(match[1]);
  if (!(at <= nowSeconds + 5 && nowSeconds - at <= MAX_AGE_SECONDS)) return null;
  const expected = Buffer.from(signature(userId, sessionVersion, at));
  const given = Buffer.from(match[2]!);
  return given.length === expected.length && timingSafeEqual(given, expected) ? at : null;
}
