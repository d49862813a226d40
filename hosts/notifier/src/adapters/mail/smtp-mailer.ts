import nodemailer, { type Transporter } from 'nodemailer';
import { emailIdOf, type MailMessage, type Mailer } from '@conference/notifications';

export interface SmtpMailerOptions {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465). False: plain, upgraded with STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  /** The sender, e.g. `Conference Platform <no-reply@conference.example>`. */
  readonly from: string;
  /** The right-hand side of Message-IDs (default: the sender's domain). */
  readonly messageIdDomain?: string;
  /** Bounds of one send (defaults 10 s / 10 s / 30 s): well under SendNotifications' claim lease. */
  readonly connectionTimeoutMs?: number;
  readonly greetingTimeoutMs?: number;
  readonly socketTimeoutMs?: number;
  /** Refuse a server whose certificate does not verify (default true; false only for a local test server). */
  readonly rejectUnauthorized?: boolean;
}

const domainOf = (from: string): string => /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'notifier.conference';

/**
 * The Mailer over SMTP (nodemailer, pooled connections). Resolves when the server accepted the
 * email (250 after DATA). The Message-ID is `<emailIdOf(messageId, to)@domain>`: the same email
 * sent again after a crash carries the same Message-ID, so the receiving side can drop it.
 */
export class SmtpMailer implements Mailer {
  private readonly transporter: Transporter;
  private readonly domain: string;

  constructor(private readonly options: SmtpMailerOptions) {
    this.domain = options.messageIdDomain ?? domainOf(options.from);
    this.transporter = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
      pool: true,
      maxConnections: 2,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.greetingTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      tls: { rejectUnauthorized: options.rejectUnauthorized ?? true },
    });
  }

  async send(mail: MailMessage): Promise<void> {
    await this.transporter.sendMail({
      from: this.options.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: `<${emailIdOf(mail.messageId, mail.to)}@${this.domain}>`,
      headers: { 'X-Conference-Message-Id': mail.messageId },
    });
  }

  /** Checks that the server answers and accepts the credentials (for readiness at start-up). */
  async verify(): Promise<void> {
    await this.transporter.verify();
  }

  close(): void {
    this.transporter.close();
  }
}
