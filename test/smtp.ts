// A real SMTP server on loopback for tests (smtp-server), whose mail is parsed with mailparser:
// the app sends through nodemailer exactly as it would to a production relay. Used by Vitest and
// by the browser tests (e2e/account-recovery.spec.ts).
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type Inbox = {
  url: string;
  port: number;
  messages: ParsedMail[];
  /** The next mail to `to` that arrives after this call (or one already there that `since` excludes). */
  waitFor(to: string, options?: { since?: number; timeoutMs?: number }): Promise<ParsedMail>;
  /** Mails to `to` so far. */
  to(to: string): ParsedMail[];
  stop(): Promise<void>;
};

export async function startInbox(): Promise<Inbox> {
  const messages: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          for (const wake of waiters) wake();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  const recipients = (m: ParsedMail) => [m.to].flat().flatMap((a) => a?.value ?? []).map((v) => v.address?.toLowerCase());
  const to = (address: string) => messages.filter((m) => recipients(m).includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    to,
    async waitFor(address, { since = to(address).length, timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mine = to(address);
        if (mine.length > since) return mine[since]!;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`No mail to ${address} within ${timeoutMs} ms (${messages.length} mail(s) to others).`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The reset link in a mail's text. */
export function resetLinkIn(mail: ParsedMail): string {
  const match = /https?:\/\/\S+\/reset-password#token=[A-Za-z0-9_-]+/.exec(mail.text ?? "");
  if (!match) throw new Error(`No reset link in: ${mail.text}`);
  return match[0];
}

/** The sign-up link in a mail's text (lib/commands/sign-up.ts). */
export function signUpLinkIn(mail: ParsedMail): string {
  const match = /https?:\/\/\S+\/signup\/confirm#token=kss_[A-Za-z0-9_-]+/.exec(mail.text ?? "");
  if (!match) throw new Error(`No sign-up link in: ${mail.text}`);
  return match[0];
}
