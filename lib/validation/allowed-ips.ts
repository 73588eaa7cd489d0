import { z } from "zod";
import { parseAllowlist, splitAllowlistText } from "../keys/cidr";
import { ALLOWED_IP_ENTRY_MAX, ALLOWED_IPS_MAX, ALLOWED_IPS_TEXT_MAX } from "./allowed-ips.limits";

// A key's IP allowlist as input: a JSON array from the API, or the dialog's text (one entry per
// line, or separated by commas). Both end as the canonical entries (lib/keys/cidr.ts), or null
// for "any address" (an empty list), or undefined when the field was not sent (an edit keeps the
// list). Every bad entry is named in one message, so a person fixes them all at once.


function canonical(entries: readonly string[], ctx: z.RefinementCtx): string[] | null {
  const parsed = parseAllowlist(entries);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.errors.join(" ") });
    return z.NEVER;
  }
  return parsed.entries.length > 0 ? parsed.entries : null;
}

const describe =
  `Client addresses allowed to use the key: IPv4 or IPv6 addresses or CIDR blocks, at most ${ALLOWED_IPS_MAX}. ` +
  "Stored canonical (lower case, compressed IPv6, IPv4-mapped written as IPv4, no /32 or /128 on a single address, duplicates dropped); " +
  "a block with bits set past its prefix (10.0.0.1/8) is refused. An empty list or null: any address.";

/** The API's `allowedIps`: an array of entries, or null (or []) for any address. */
export const allowedIpsList = z
  .array(
    z.string({ error: "Each allowed IP must be a string, e.g. \"203.0.113.0/24\"." }).max(ALLOWED_IP_ENTRY_MAX, `Each allowed IP must be at most ${ALLOWED_IP_ENTRY_MAX} characters.`),
    { error: "allowedIps must be an array of IP addresses or CIDR blocks, or null." },
  )
  .max(ALLOWED_IPS_MAX, `At most ${ALLOWED_IPS_MAX} allowed IPs.`)
  .nullable()
  .transform((list, ctx) => (list === null ? null : canonical(list, ctx)))
  .meta({ description: describe, examples: [["203.0.113.0/24", "2001:db8::/32"]] });

/** The dialog's textarea. */
export const allowedIpsText = z
  .string({ error: "Allowed IP addresses must be text." })
  .max(ALLOWED_IPS_TEXT_MAX, `Allowed IP addresses must be at most ${ALLOWED_IPS_TEXT_MAX} characters: at most ${ALLOWED_IPS_MAX} entries.`)
  .transform((text, ctx) => {
    const entries = splitAllowlistText(text);
    if (entries.length > ALLOWED_IPS_MAX) {
      ctx.addIssue({ code: "custom", message: `At most ${ALLOWED_IPS_MAX} addresses or blocks; this list has ${entries.length}. Combine them into wider blocks.` });
      return z.NEVER;
    }
    return canonical(entries, ctx);
  });
