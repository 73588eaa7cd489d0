import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { linkWithToken } from "./accounts/link-token";
import { config } from "./config";
import { errorFields, log } from "./log";

// Mail over SMTP (SMTP_URL, MAIL_FROM), for account mail: password reset links today, invitations
// and notifications next. Without SMTP_URL nothing is mailed and the pages that would mail say so
// (an admin makes the link instead). A mail's text may carry a secret (a reset link): it is never
// logged; a failure logs the kind of mail and the SMTP error only.

export type Mail = { to: string; subject: string; text: string };

const g = globalThis as unknown as { __keysmithMail?: { url: string; transport: Transporter } };

/** Whether this deployment can send mail. */
export function mailConfigured(): boolean {
  return !!config.smtpUrl;
}

/**
 * Whether this deployment can mail a one-time link (a reset, an email change, an invitation, a
 * sign-up): SMTP to send with, and APP_URL to build the link from (never the request's Host
 * header, which a requester could forge to send a victim a link to their own site).
 */
export function mailedLinksAvailable(): boolean {
  return mailConfigured() && !!config.appUrl;
}

/** A mailed link to `path` with `token` in its fragment, on APP_URL (only call when mailedLinksAvailable()). */
export function mailedLink(path: string, token: string): string {
  if (!config.appUrl) throw new Error("APP_URL is not set: a mailed link has no origin");
  return linkWithToken(config.appUrl, path, token);
}

/** A plain link to a page of this deployment, on APP_URL, for a mail's text. */
export function mailedPageLink(path: string): string {
  return `${(config.appUrl ?? "").replace(/\/+$/, "")}${path}`;
}

function transport(url: string): Transporter {
  if (g.__keysmithMail?.url !== url) {
    g.__keysmithMail = {
      url,
      transport: nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }),
    };
  }
  return g.__keysmithMail.transport;
}

/** Sends one mail; false (logged) when SMTP is not set or the server refused it. Never throws. */
export async function sendMail(kind: string, mail: Mail): Promise<boolean> {
  const url = config.smtpUrl;
  if (!url) return false;
  try {
    await transport(url).sendMail({ from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
    log.info("mail.sent", { kind });
    return true;
  } catch (error) {
    log.error("mail.failed", { kind, ...errorFields(error) });
    return false;
  }
}
