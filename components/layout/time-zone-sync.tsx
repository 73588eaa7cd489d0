"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { TIME_ZONE_COOKIE, runtimeTimeZone } from "@/lib/time-zone";

function cookieZone(): string | null {
  const entry = document.cookie.split("; ").find((c) => c.startsWith(`${TIME_ZONE_COOKIE}=`));
  return entry ? decodeURIComponent(entry.slice(TIME_ZONE_COOKIE.length + 1)) : null;
}

/**
 * Tells the server the browser's time zone (a cookie), so pages render dates in it on the server:
 * the text the browser hydrates is the text it would have drawn, with no flash of UTC dates. The
 * sign-in and sign-up pages carry this too, so by the first dashboard page the cookie is there.
 * When the zone changes (a first visit, a trip), the page is rendered once more.
 */
export function TimeZoneSync() {
  const router = useRouter();
  useEffect(() => {
    const zone = runtimeTimeZone();
    if (cookieZone() === zone) return;
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [router]);
  return null;
}
