"use client";

import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { ALLOWED_IPS_TEXT_MAX } from "@/lib/validation/allowed-ips.limits";

/**
 * The key's IP allowlist as text: one address or CIDR block per line (commas work too). The server
 * checks and canonicalizes every entry (lib/keys/cidr.ts); an empty field allows any address.
 */
export function AllowedIpsField({ defaultValue, error }: { defaultValue?: readonly string[] | null; error?: string }) {
  return (
    <div className="grid gap-2">
      <Label htmlFor="key-allowed-ips">
        Allowed IP addresses <span className="font-normal text-muted-foreground">(optional)</span>
      </Label>
      <Textarea
        id="key-allowed-ips"
        name="allowedIps"
        rows={3}
        // Room for what people paste; the server names any entry it refuses.
        maxLength={ALLOWED_IPS_TEXT_MAX}
        // One entry per line, never broken mid-address: long IPv6 blocks scroll sideways instead.
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        placeholder={"203.0.113.0/24\n2001:db8::/32"}
        className="max-h-48 font-mono text-sm"
        defaultValue={defaultValue?.join("\n") ?? undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "key-allowed-ips-error key-allowed-ips-hint" : "key-allowed-ips-hint"}
      />
      {error && (
        <p id="key-allowed-ips-error" className="text-sm text-destructive [overflow-wrap:anywhere]">
          {error}
        </p>
      )}
      <p id="key-allowed-ips-hint" className="text-xs text-muted-foreground">
        One address or CIDR range per line, e.g. 203.0.113.0/24 or 2001:db8::/32. Leave empty to allow any address.
      </p>
    </div>
  );
}
