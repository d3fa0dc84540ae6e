import type { Mailer } from '../email/mailer';
import { renderEmail, type EmailMessage } from '../email/templates';

export function createEmailActivities({ mailer }: { mailer: Mailer }) {
  return {
    /**
     * Sends one notification. The key is derived from the workflow id and the email's kind, so
     * a retried activity or a replayed workflow never sends the same email twice.
     */
    async sendEmail(message: EmailMessage & { idempotencyKey: string }): Promise<{ delivered: boolean }> {
      const { subject, text } = renderEmail(message);
      const { delivered } = await mailer.send({ subject, text, idempotencyKey: message.idempotencyKey });
      return { delivered };
    },
  };
}

export type EmailActivities = ReturnType<typeof createEmailActivities>;
