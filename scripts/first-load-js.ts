// First-load JavaScript of a page, as the bench (npm run bench) and the bundle-budget e2e test
// count it: every <script src> of the page's HTML from .next/static, gzip level 9.
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * First-load JavaScript of a page as the browser gets it: every script the page's HTML loads
 * (`<script src>`, except legacy `noModule` ones), gzip-compressed (level 9, as a CDN would serve it), summed, from the build output.
 */
export function firstLoadJs(html: string): { bytes: number; files: number } {
  // `noModule` scripts (Next's legacy polyfills) are skipped by every browser that runs modules.
  const tags = [...html.matchAll(/<script[^>]+>/g)].map((m) => m[0]).filter((tag) => !/\bnomodule\b/i.test(tag));
  const sources = new Set(tags.map((tag) => /\ssrc="([^"]+)"/.exec(tag)?.[1]).filter((src): src is string => !!src));
  let bytes = 0;
  for (const src of sources) {
    const pathname = decodeURIComponent(new URL(src, "http://x").pathname);
    if (!pathname.startsWith("/_next/static/")) continue;
    const file = path.join(".next", "static", pathname.slice("/_next/static/".length));
    bytes += gzipSync(fs.readFileSync(file), { level: 9 }).length;
  }
  return { bytes, files: sources.size };
}
