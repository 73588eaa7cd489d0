"use client";

import { ErrorNotice } from "@/components/layout/error-notice";

// Shown when a page fails to render (for example while the database is unreachable). The cause
// is in the server log under the digest; nothing internal is shown here.
export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return <ErrorNotice digest={error.digest} retry={retry} />;
}
