import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { emailIdOf } from '@conference/notifications';
import { mailerContract } from '@conference/notifications/contracts';
import { FileMailbox } from './file-mailbox.js';

const folder = () => mkdtemp(join(tmpdir(), 'mailbox-'));

mailerContract('FileMailbox', async () => {
  const directory = await folder();
  const mailbox = new FileMailbox(join(directory, 'inbox'));
  return {
    mailer: mailbox,
    delivered: async () => (await mailbox.read()).map(({ to, subject, text, emailId }) => ({ to, subject, text, emailId })),
    close: () => rm(directory, { recursive: true, force: true }),
  };
});

describe('FileMailbox', () => {
  let directory: string;
  beforeEach(async () => { directory = await folder(); });
  afterEach(async () => { await rm(directory, { recursive: true, force: true }); });

  it('writes one file per email, named by message and recipient; a resend overwrites it and leaves no temporary file', async () => {
    const mailbox = new FileMailbox(directory, 'Test <t@example.org>');
    await mailbox.send({ to: 'ada@example.org', subject: 'Hi', text: 'Grüße aus 東京', messageId: 'm1' });
    await mailbox.send({ to: 'ada@example.org', subject: 'Hi', text: 'Grüße aus 東京', messageId: 'm1' });
    expect(await readdir(directory)).to.deep.equal([`${emailIdOf('m1', 'ada@example.org')}.json`]);
    const [file] = await mailbox.read();
    expect(file).to.include({ from: 'Test <t@example.org>', to: 'ada@example.org', messageId: 'm1', text: 'Grüße aus 東京' });
  });

  it('reads an empty list from a folder that does not exist yet', async () => {
    expect(await new FileMailbox(join(directory, 'missing')).read()).to.deep.equal([]);
  });
});
