import { Resend } from 'resend';

export interface OutgoingEmail {
  subject: string;
  text: string;
  /** Resend keeps one email per key for 24 h: a retried activity does not send twice. */
  idempotencyKey: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ id: string | null; delivered: boolean }>;
}

export interface MailerOptions {
  apiKey: string | undefined;
  from: string;
  to: string[];
  /** Where an email goes when there is no API key (development mode, as the original printed it). */
  log: (line: string) => void;
}

/** Resend when RESEND_API_KEY is set (RESEND_BASE_URL is honoured by the SDK), else the log. */
export function createMailer({ apiKey, from, to, log }: MailerOptions): Mailer {
  if (!apiKey) {
    return {
      async send(email) {
        log(`email (not sent: no RESEND_API_KEY) to ${to.join(', ')}: ${email.subject}\n${email.text}`);
        return { id: null, delivered: false };
      },
    };
  }
  const resend = new Resend(apiKey);
  return {
    async send(email) {
      const { data, error } = await resend.emails.send(
        { from, to, subject: email.subject, text: email.text },
        { idempotencyKey: email.idempotencyKey },
      );
      if (error) {
        // The API key never appears here: Resend's error carries only its name and message.
        throw new Error(`Resend refused the email "${email.subject}": ${error.name}: ${error.message}`);
      }
      return { id: data?.id ?? null, delivered: true };
    },
  };
}
