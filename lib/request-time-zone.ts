import "server-only";
import { cookies } from "next/headers";
import { TIME_ZONE_COOKIE, validTimeZone } from "./time-zone";

/**
 * The viewer's time zone for a page: the browser's, from the cookie TimeZoneSync sets
 * (components/layout/time-zone-sync.tsx); UTC until the browser has sent it once.
 */
export async function requestTimeZone(): Promise<string> {
  return validTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value) ?? "UTC";
}
