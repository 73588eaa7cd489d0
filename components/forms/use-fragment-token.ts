"use client";

import { useEffect, useSyncExternalStore } from "react";

// A one-time link's token (password reset, email change, invitation) rides in the URL's fragment,
// which browsers never send to a server. It is read from the fragment and kept in memory for the
// form (per page path, so a token read on one page is never offered to another); an effect then
// removes it from the address bar, and so from history and bookmarks. That happens after
// hydration, through the history API Next.js's router listens to: cleared any earlier, the router
// would put the URL it loaded with back when the page's first server action answers. A link opened
// again in the same tab changes only the fragment (no new page load): hashchange has it read again.
// undefined while rendering on the server.
let read: { path: string; token: string | null } | undefined;
function readToken(): string | null {
  const path = window.location.pathname;
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match) read = { path, token: match[1]! };
  else if (read?.path !== path) read = { path, token: null };
  return read.token;
}
function subscribe(onChange: () => void) {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

export function useFragmentToken(): string | null | undefined {
  const token = useSyncExternalStore(subscribe, readToken, () => undefined);
  useEffect(() => {
    if (token && window.location.hash) window.history.replaceState(null, "", window.location.pathname);
  }, [token]);
  return token;
}
