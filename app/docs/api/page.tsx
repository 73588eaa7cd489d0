import { KeyRoundIcon } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { openApiDocument } from "@/lib/api/openapi";
import { KEY_PATTERN } from "@/lib/keys/format";
import { requestOrigin } from "@/lib/request-context";
import { RESOURCES, SPECIALS } from "@/lib/scopes";

export const metadata: Metadata = { title: "API reference" };

type Operation = {
  summary: string;
  "x-required-scope"?: string;
  security?: unknown[];
  responses: Record<string, { description: string }>;
};

/** A readable rendering of /api/v1/openapi.json (the same document object). */
export default async function ApiDocsPage() {
  const origin = requestOrigin(await headers());
  const doc = openApiDocument(origin);
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, unknown>)
      .filter(([method]) => ["get", "post", "patch", "delete"].includes(method))
      .map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as Operation })),
  );
  return (
    <main className="mx-auto max-w-4xl p-4 md:p-8">
      <Link href="/settings/api-keys" className="flex items-center gap-2 text-sm font-semibold">
        <KeyRoundIcon className="size-4" aria-hidden /> Keysmith
      </Link>
      <h1 className="mt-6 text-2xl font-semibold tracking-tight">API reference</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        Base URL <code className="font-mono">{origin}/api/v1</code>. Machine-readable:{" "}
        <a className="underline underline-offset-4" href="/api/v1/openapi.json">
          OpenAPI 3.1 document
        </a>
        .
      </p>

      <h2 className="mt-8 text-lg font-semibold">Authentication</h2>
      <p className="mt-2 text-sm">
        Send a key from Settings → API Keys in the <code className="font-mono">Authorization</code> header. Keys in URLs
        and dashboard cookies are ignored.
      </p>
      <pre className="mt-3 overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs">{`curl ${origin}/api/v1/me \\\n  -H "Authorization: Bearer ksk_…"`}</pre>
      <p className="mt-3 text-sm">
        Keys match <code className="font-mono text-xs">{KEY_PATTERN.source}</code>; the last six characters are a CRC32
        checksum, so a mistyped key is refused without a lookup. Errors are{" "}
        <code className="font-mono text-xs">{'{ "error": { "code", "message" } }'}</code>: 401 for a missing, unknown,
        expired or revoked key (the answer never says which), 403 <code className="font-mono text-xs">insufficient_scope</code>,
        429 with <code className="font-mono text-xs">Retry-After</code>, 422 for invalid bodies, 404 for anything that is not yours.
      </p>

      <h2 className="mt-8 text-lg font-semibold">Scopes</h2>
      <div className="mt-3 overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs text-muted-foreground">
            <tr>
              <th className="py-2 pr-4 font-medium">Scope</th>
              <th className="py-2 font-medium">Allows</th>
            </tr>
          </thead>
          <tbody>
            {RESOURCES.flatMap((r) =>
              r.levels.map((level) => (
                <tr key={`${r.id}:${level}`} className="border-t">
                  <td className="py-2 pr-4 font-mono text-xs">{`${r.id}:${level}`}</td>
                  <td className="py-2">
                    {r.label}, {level === "read" ? "read" : "read and write"}
                    <span className="block text-xs text-muted-foreground">{r.description}</span>
                  </td>
                </tr>
              )),
            )}
            {SPECIALS.map((s) => (
              <tr key={s.scope} className="border-t">
                <td className="py-2 pr-4 font-mono text-xs">{s.scope}</td>
                <td className="py-2">{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="mt-8 text-lg font-semibold">Endpoints</h2>
      <div className="mt-3 grid gap-4">
        {operations.map(({ path, method, op }) => (
          <section key={`${method} ${path}`} aria-label={`${method} ${path}`} className="rounded-lg border p-4">
            <div className="flex flex-wrap items-center gap-2">
              <Badge variant="secondary" className="font-mono">
                {method}
              </Badge>
              <code className="font-mono text-sm">/api/v1{path}</code>
              {op["x-required-scope"] && <Badge variant="outline">{op["x-required-scope"]}</Badge>}
              {op.security?.length === 0 && <Badge variant="outline">no key needed</Badge>}
            </div>
            <p className="mt-2 text-sm">{op.summary}</p>
            <ul className="mt-2 grid gap-1 text-xs text-muted-foreground">
              {Object.entries(op.responses).map(([status, r]) => (
                <li key={status}>
                  <span className="font-mono text-foreground">{status}</span> {r.description}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </main>
  );
}
