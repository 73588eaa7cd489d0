// Who may create an account by signing up (the sign-up mode an admin sets in Admin -> Settings).
// Pure: db/queries/users.ts createUser calls signUpRefusal inside the sign-up transaction, on the
// mode it read there (so a mode change cannot race a sign-up); the sign-up page uses the same
// words to say what applies. Invitations (lib/commands/invitations.ts) do not pass through here:
// an invitation works whatever the mode.
import { AppError, type ErrorCode } from "../errors";

export const SIGN_UP_MODES = ["open", "domains", "invite_only", "closed"] as const;
export type SignUpMode = (typeof SIGN_UP_MODES)[number];

/** Most domains the list may hold. */
export const MAX_SIGN_UP_DOMAINS = 50;

/** The part of an address after its last "@", lower-cased ("" when there is none). */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? "" : email.slice(at + 1).trim().toLowerCase();
}

/**
 * Why a sign-up is refused (an error code), or null when it may go ahead. The first account of an
 * empty deployment is always allowed (it becomes the admin). The answer depends on the mode and the
 * address's domain only, never on whether the address has an account (checklist A-02). A domain
 * matches exactly: "example.com" admits a@example.com, not a@evil-example.com, a@example.com.evil.test
 * or a@sub.example.com.
 */
export function signUpRefusal(input: { mode: SignUpMode; domains: readonly string[]; email: string; firstAccount: boolean }): ErrorCode | null {
  if (input.firstAccount) return null;
  switch (input.mode) {
    case "open":
      return null;
    case "domains":
      return input.domains.includes(emailDomain(input.email)) ? null : "email_domain_not_allowed";
    case "invite_only":
      return "sign_up_invite_only";
    case "closed":
      return "sign_up_closed";
  }
}

const DOMAIN_FIELD_ERROR = "Sign-up here is open to the email domains listed above only. Use an address at one of them, or ask an administrator for an invitation.";

/** The error a sign-up refusal answers (the domain's with its sentence on the email field). */
export function signUpRefusalError(refusal: ErrorCode): AppError {
  return new AppError(refusal, refusal === "email_domain_not_allowed" ? { fieldErrors: { email: DOMAIN_FIELD_ERROR } } : {});
}

// One DNS name: labels of letters, digits and inner hyphens, at least two of them, a top-level
// label that is not all digits (no IP addresses), 253 characters at most. International names are
// written in their ASCII (xn--) form, as mail systems compare them.
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Whether `domain` (lower-case) is a domain name the list may hold. */
export function isDomainName(domain: string): boolean {
  if (domain.length > 253) return false;
  const labels = domain.split(".");
  if (labels.length < 2) return false;
  if (!labels.every((l) => LABEL.test(l))) return false;
  return !/^\d+$/.test(labels.at(-1)!);
}

/**
 * The admin's list as typed (one per line, or separated by commas or spaces; a leading "@" is
 * dropped), lower-cased and without duplicates; or the sentence that says what to fix.
 */
export function parseDomainList(text: string): { ok: true; domains: string[] } | { ok: false; message: string } {
  const items = text
    .split(/[\s,;]+/)
    .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
    .filter(Boolean);
  const domains = [...new Set(items)];
  const bad = domains.filter((d) => !isDomainName(d));
  if (bad.length > 0) {
    const shown = bad.slice(0, 3).map((d) => `“${d.length > 40 ? `${d.slice(0, 40)}…` : d}”`).join(", ");
    return {
      ok: false,
      message: `${bad.length === 1 ? `${shown} is not a domain name` : `These are not domain names: ${shown}${bad.length > 3 ? " and more" : ""}`}. Write each like example.com, without a name or @ in front (international names in their xn-- form).`,
    };
  }
  if (domains.length > MAX_SIGN_UP_DOMAINS) return { ok: false, message: `List at most ${MAX_SIGN_UP_DOMAINS} domains.` };
  return { ok: true, domains };
}

/** What the sign-up page says applies, or null when anyone may sign up. */
export function signUpNotice(mode: SignUpMode, domains: readonly string[]): string | null {
  switch (mode) {
    case "open":
      return null;
    case "domains":
      return `Sign-up here is open to addresses at ${listInWords(domains)} only. Anyone else needs an invitation from an administrator.`;
    case "invite_only":
      return "Sign-up here is by invitation only. Ask an administrator for an invitation.";
    case "closed":
      return "Sign-up here is closed. Ask an administrator if you need an account.";
  }
}

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "no domain yet";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
