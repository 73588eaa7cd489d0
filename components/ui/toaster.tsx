"use client";

import dynamic from "next/dynamic";

/**
 * The toast region, loaded right after the page hydrates instead of with it: sonner is ~13 KB of
 * gzip that no page needs to draw itself, and every toast follows something the user did, by
 * which time the region is there (the calls to `toast()` share its store).
 */
export const Toaster = dynamic(() => import("./sonner").then((m) => m.Toaster), { ssr: false });
