import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import type { Mailer, OutgoingEmail } from "../../domain/notifications/ports";

/**
 * Notification e-mail through SMTP (`SMTP_URL`, e.g. smtp://user:pass@host:587). Without it the
 * message is rendered by nodemailer's JSON transport and kept in `email_messages` as captured: the
 * console's E-mails page shows it, nothing leaves the machine (like the fake Twilio for SMS).
 */
export function createMailer(opts: {
  smtpUrl?: string;
  from: string;
  timeoutMs?: number;
  /**
   * Without SMTP: also keep each message as a file here (mode 0600), for mail that must not land in
   * the console's e-mail log because it carries a secret (password-reset links); `onCapture` hears where.
   */
  captureDir?: string;
  onCapture?: (file: string, to: string) => void;
}): Mailer & { close(): void } {
  const transport = opts.smtpUrl
    ? nodemailer.createTransport(opts.smtpUrl, { connectionTimeout: opts.timeoutMs ?? 15_000, greetingTimeout: opts.timeoutMs ?? 15_000, socketTimeout: opts.timeoutMs ?? 15_000 } as never)
    : nodemailer.createTransport({ jsonTransport: true });
  return {
    captures: !opts.smtpUrl,
    async send(m: OutgoingEmail) {
      const info = (await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text, html: m.html })) as { messageId?: string; message?: unknown };
      if (!opts.smtpUrl && opts.captureDir) {
        await fs.promises.mkdir(opts.captureDir, { recursive: true, mode: 0o700 });
        const file = path.join(opts.captureDir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}.json`);
        await fs.promises.writeFile(file, String(info.message ?? JSON.stringify(m)), { mode: 0o600 });
        opts.onCapture?.(file, m.to);
      }
      return { messageId: info.messageId ?? null };
    },
    close() {
      transport.close();
    },
  };
}
