"use client";

import { useSyncExternalStore } from "react";

// A one-time link's token (reset, email confirmation) rides in the URL's fragment, which browsers
// never send to a server. It is read once, then removed from the address bar (and so from history
// and bookmarks), and kept in memory for the form. undefined while rendering on the server.
// Kept per page path, so a token read on one page is never offered to another.
let read: { path: string; token: string | null } | undefined;
function readToken(): string | null {
  const path = window.location.pathname;
  if (read?.path !== path) {
    const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
    read = { path, token: match ? match[1]! : null };
    if (match) window.history.replaceState(null, "", path);
  }
  return read.token;
}
const subscribe = () => () => {};

export function useFragmentToken(): string | null | undefined {
  return useSyncExternalStore(subscribe, readToken, () => undefined);
}
