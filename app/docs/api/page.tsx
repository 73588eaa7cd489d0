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

type Schema = {
  type?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  items?: Schema;
  format?: string;
  description?: string;
  examples?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
};
type Operation = {
  operationId: string;
  summary: string;
  "x-required-scope"?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema: Schema }[];
  requestBody?: { required: boolean; content: { "application/json": { schema: Schema } } };
  responses: Record<string, { description: string }>;
};

/** Text with `code` spans, as the document writes them. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split(/`([^`]+)`/).map((part, i) =>
        i % 2 ? (
          <code key={i} className="font-mono text-[0.85em]">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** A schema's type in words: "string or null", "array of string", "one of none, 1h". */
function typeOf(schema: Schema): string {
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" or ");
  if (schema.enum) return `one of ${schema.enum.join(", ")}`;
  if (schema.type === "array") return `array of ${schema.items ? typeOf(schema.items) : "any"}`;
  return schema.format ? `${schema.type} (${schema.format})` : (schema.type ?? "any");
}

function limitsOf(schema: Schema): string {
  const parts = [
    schema.maxLength !== undefined && `up to ${schema.maxLength} characters`,
    schema.maxItems !== undefined && `up to ${schema.maxItems} items`,
    schema.minimum !== undefined && schema.maximum !== undefined && `${schema.minimum}-${schema.maximum}`,
    schema.default !== undefined && `default ${JSON.stringify(schema.default)}`,
  ].filter(Boolean);
  return parts.join("; ");
}

type Field = { name: string; where: string; required: boolean; schema: Schema };

function fieldsOf(op: Operation, path: string): Field[] {
  const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, where: "path", required: true, schema: { type: "string", format: "uuid", description: "The key's id." } }));
  const query = (op.parameters ?? []).filter((p) => p.in === "query").map((p) => ({ name: p.name, where: "query", required: !!p.required, schema: p.schema }));
  const body = op.requestBody?.content["application/json"].schema;
  const inBody = Object.entries(body?.properties ?? {}).map(([name, schema]) => ({ name, where: "body", required: body?.required?.includes(name) ?? false, schema }));
  return [...inPath, ...query, ...inBody];
}

/** A request body made of the fields' examples (the document's own), for the curl line. */
function exampleBody(op: Operation): string | null {
  const body = op.requestBody?.content["application/json"].schema;
  if (!body?.properties) return null;
  const example = Object.fromEntries(Object.entries(body.properties).flatMap(([name, s]) => (s.examples?.length ? [[name, s.examples[0]]] : [])));
  return Object.keys(example).length ? JSON.stringify(example) : null;
}

/** A readable rendering of /api/v1/openapi.json (the same document object). */
export default async function ApiDocsPage() {
  const origin = requestOrigin(await headers());
  const doc = openApiDocument(origin);
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, unknown>)
      .filter(([method]) => ["get", "post", "patch", "delete"].includes(method))
      .map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as Operation })),
  );
  const anchor = (op: Operation) => `op-${op.operationId.replace(/\./g, "-")}`;
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
      <pre tabIndex={0} className="mt-3 overflow-x-auto outline-ring focus-visible:outline-2 rounded-md bg-muted p-3 font-mono text-xs">{`curl ${origin}/api/v1/me \\\n  -H "Authorization: Bearer ksk_…"`}</pre>
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
                    <span className="block text-xs text-muted-foreground">{(r.levelDescriptions as Record<string, string>)[level]}</span>
                  </td>
                </tr>
              )),
            )}
            {SPECIALS.map((s) => (
              <tr key={s.scope} className="border-t">
                <td className="py-2 pr-4 font-mono text-xs">{s.scope}</td>
                <td className="py-2">
                  {s.label}
                  <span className="block text-xs text-muted-foreground">
                    {s.description}: <code className="font-mono">{s.endpoint}</code>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="mt-8 text-lg font-semibold">Endpoints</h2>
      <nav aria-label="Endpoints" className="mt-3">
        <ul className="grid gap-1 text-sm sm:grid-cols-2">
          {operations.map(({ path, method, op }) => (
            <li key={`${method} ${path}`}>
              <a className="underline-offset-4 hover:underline" href={`#${anchor(op)}`}>
                <span className="font-mono text-xs">{method}</span> <span className="font-mono text-xs">{path}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="mt-4 grid gap-4">
        {operations.map(({ path, method, op }) => {
          const fields = fieldsOf(op, path);
          const body = exampleBody(op);
          return (
            <section key={`${method} ${path}`} id={anchor(op)} aria-label={`${method} ${path}`} className="scroll-mt-4 rounded-lg border p-4">
              <div className="flex flex-wrap items-center gap-2">
                <Badge variant="secondary" className="font-mono">
                  {method}
                </Badge>
                <code className="font-mono text-sm break-all">/api/v1{path}</code>
                {op["x-required-scope"] && <Badge variant="outline">{op["x-required-scope"]}</Badge>}
                {op.security?.length === 0 && <Badge variant="outline">no key needed</Badge>}
              </div>
              <p className="mt-2 text-sm">
                <Prose text={op.summary} />
              </p>
              {fields.length > 0 && (
                <div className="mt-3 overflow-x-auto">
                  <table className="w-full text-left text-sm">
                    <caption className="sr-only">Request fields of {method} {path}</caption>
                    <thead className="text-xs text-muted-foreground">
                      <tr>
                        <th className="py-1 pr-3 font-medium">Field</th>
                        <th className="py-1 pr-3 font-medium">In</th>
                        <th className="py-1 font-medium">Type and meaning</th>
                      </tr>
                    </thead>
                    <tbody>
                      {fields.map((f) => (
                        <tr key={`${f.where}:${f.name}`} className="border-t align-top">
                          <td className="py-1.5 pr-3 font-mono text-xs">
                            {f.name}
                            {f.required && <span className="block font-sans text-muted-foreground">required</span>}
                          </td>
                          <td className="py-1.5 pr-3 text-xs">{f.where}</td>
                          <td className="py-1.5 text-xs">
                            <span className="font-mono">{typeOf(f.schema)}</span>
                            {limitsOf(f.schema) && <span className="text-muted-foreground">; {limitsOf(f.schema)}</span>}
                            {f.schema.description && <span className="block text-muted-foreground">{f.schema.description}</span>}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {body && (
                <pre tabIndex={0} className="mt-3 overflow-x-auto outline-ring focus-visible:outline-2 rounded-md bg-muted p-3 font-mono text-xs">
                  {`curl -X ${method} ${origin}/api/v1${path} \\\n  -H "Authorization: Bearer $KEYSMITH_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '${body}'`}
                </pre>
              )}
              <h3 className="mt-3 text-xs font-medium text-muted-foreground">Responses</h3>
              <ul className="mt-1 grid gap-1 text-xs text-muted-foreground">
                {Object.entries(op.responses).map(([status, r]) => (
                  <li key={status}>
                    <span className="font-mono text-foreground">{status}</span> <Prose text={r.description} />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </main>
  );
}
