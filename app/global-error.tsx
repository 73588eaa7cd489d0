"use client";

import { ErrorNotice } from "@/components/layout/error-notice";
import "./globals.css";

// The last resort, for an error in the root layout itself: it replaces the whole document, so it
// draws its own <html> and <body>. Same notice and retry as app/error.tsx.
export default function GlobalError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans antialiased">
        <title>Something went wrong · Keysmith</title>
        <ErrorNotice digest={error.digest} retry={retry} />
      </body>
    </html>
  );
}
