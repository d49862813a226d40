import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emailIdOf, type MailMessage, type Mailer } from '@conference/notifications';

/** One email as the file mailbox keeps it (`<emailId>.json`). */
export interface MailboxFile {
  readonly emailId: string;
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly writtenAt: string;
}

/**
 * The Mailer for development and tests: one JSON file per email under a folder, named by
 * emailIdOf(messageId, to). Sending the same email again overwrites its file rather than adding
 * one, as a mail client drops a second copy with the same Message-ID. Each file is written to a
 * temporary name and renamed, so a reader never sees half an email.
 */
export class FileMailbox implements Mailer {
  private ready: Promise<unknown> | null = null;

  constructor(readonly directory: string, private readonly from = 'Conference Platform <no-reply@conference.localhost>') {}

  async send(mail: MailMessage): Promise<void> {
    this.ready ??= mkdir(this.directory, { recursive: true });
    await this.ready;
    const emailId = emailIdOf(mail.messageId, mail.to);
    const file: MailboxFile = {
      emailId,
      messageId: mail.messageId,
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      writtenAt: new Date().toISOString(),
    };
    const target = join(this.directory, `${emailId}.json`);
    const temporary = `${target}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, 'utf8');
    await rename(temporary, target);
  }

  /** Every email in the mailbox, oldest first (for tests and a development inbox view). */
  async read(): Promise<MailboxFile[]> {
    let names: string[];
    try {
      names = (await readdir(this.directory)).filter((name) => name.endsWith('.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files = await Promise.all(names.map(async (name) => JSON.parse(await readFile(join(this.directory, name), 'utf8')) as MailboxFile));
    return files.sort((a, b) => a.writtenAt.localeCompare(b.writtenAt));
  }
}
