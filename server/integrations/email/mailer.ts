import nodemailer from "nodemailer";
import type { Mailer, OutgoingEmail } from "../../domain/notifications/ports";

/**
 * Notification e-mail through SMTP (`SMTP_URL`, e.g. smtp://user:pass@host:587). Without it the
 * message is rendered by nodemailer's JSON transport and kept in `email_messages` as captured: the
 * console's E-mails page shows it, nothing leaves the machine (like the fake Twilio for SMS).
 */
export function createMailer(opts: { smtpUrl?: string; from: string; timeoutMs?: number }): Mailer & { close(): void } {
  const transport = opts.smtpUrl
    ? nodemailer.createTransport(opts.smtpUrl, { connectionTimeout: opts.timeoutMs ?? 15_000, greetingTimeout: opts.timeoutMs ?? 15_000, socketTimeout: opts.timeoutMs ?? 15_000 } as never)
    : nodemailer.createTransport({ jsonTransport: true });
  return {
    captures: !opts.smtpUrl,
    async send(m: OutgoingEmail) {
      const info = (await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text, html: m.html })) as { messageId?: string };
      return { messageId: info.messageId ?? null };
    },
    close() {
      transport.close();
    },
  };
}
