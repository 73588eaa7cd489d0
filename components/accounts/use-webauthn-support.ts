"use client";

import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** Whether this browser can use passkeys (assumed yes while rendering on the server). */
export function useWebAuthnSupport(): boolean {
  return useSyncExternalStore(subscribe, browserSupportsWebAuthn, () => true);
}
