// How long a rotated-out secret keeps working: the choices the dashboard offers and the API
// accepts (client-safe: the rotate dialog imports it).
import { DAY_MS, HOUR_MS } from "../time";

export const GRACE_PERIODS = {
  none: { label: "Immediately", ms: 0 },
  "1h": { label: "After 1 hour", ms: HOUR_MS },
  "24h": { label: "After 24 hours", ms: 24 * HOUR_MS },
  "7d": { label: "After 7 days", ms: 7 * DAY_MS },
} as const;
export type GracePeriod = keyof typeof GRACE_PERIODS;
export const GRACE_CHOICES = Object.keys(GRACE_PERIODS) as GracePeriod[];

/**
 * The one default, wherever a rotation does not say (dashboard, API, `npm run rotate-key`): one
 * hour. Long enough for a rolling deploy or an `.env` sync to pick up the new secret before the
 * old one stops, short enough that a secret that may have leaked dies within the hour. Rotating
 * because a key leaked is when to choose "Immediately" (`none`).
 */
export const DEFAULT_GRACE: GracePeriod = "1h";
