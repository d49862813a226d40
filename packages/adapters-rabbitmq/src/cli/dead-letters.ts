#!/usr/bin/env node
/**
 * Operator tool for dead letters (DESIGN §4):
 *   node packages/adapters-rabbitmq/dist/cli/dead-letters.js list <queue> [--json] [--limit N]
 *   node packages/adapters-rabbitmq/dist/cli/dead-letters.js replay <queue> (--id <messageId> | --all)
 * `<queue>` is the consumer queue (`event.enrollments`) or its dead-letter queue (`event.enrollments.dead`).
 * The broker is AMQP_URL (default amqp://guest:guest@127.0.0.1:5672). A one-shot tool: it connects
 * once and fails loudly instead of reconnecting.
 */
import { connect } from 'amqplib';
import { defaultAmqpUrl, redact } from '../connection.js';
import { listDeadLetters, replayDeadLetters, type DeadLetter } from '../dead-letters.js';

const usage = `usage: dead-letters list <queue> [--json] [--limit N]
       dead-letters replay <queue> (--id <messageId> | --all)`;

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function table(letters: readonly DeadLetter[]): string {
  const rows = letters.map((l) => [l.messageId ?? '(no id)', l.type ?? '-', l.reason ?? '-', String(l.attempts ?? '-'), l.firstSeen ?? '-', (l.error ?? '').slice(0, 80)]);
  const header = ['id', 'type', 'reason', 'attempts', 'first seen', 'error'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [format(header), ...rows.map(format)].join('\n');
}

async function main(args: readonly string[]): Promise<number> {
  const [command, queue] = args;
  if (!queue || (command !== 'list' && command !== 'replay')) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const model = await connect(defaultAmqpUrl(), { timeout: 5_000 }).catch((error: Error) => {
    throw new Error(`cannot reach the broker at ${redact(defaultAmqpUrl())}: ${error.message}`);
  });
  model.on('error', () => undefined); // reported through the failing call instead
  try {
    if (command === 'list') {
      const limit = Number(option(args, '--limit') ?? 1000);
      const letters = await listDeadLetters(model, queue, limit);
      process.stdout.write(args.includes('--json') ? `${JSON.stringify(letters, null, 2)}\n` : `${table(letters)}\n${letters.length} dead letter(s)\n`);
      return 0;
    }
    const messageId = option(args, '--id');
    const all = args.includes('--all');
    if (!messageId && !all) {
      process.stderr.write(`${usage}\n`);
      return 2;
    }
    const replayed = await replayDeadLetters(model, queue, all ? { all } : { messageId: messageId! });
    process.stdout.write(`replayed ${replayed.length} message(s)${replayed.length ? `: ${replayed.map((l) => l.messageId ?? '(no id)').join(', ')}` : ''}\n`);
    return messageId && replayed.length === 0 ? 1 : 0;
  } finally {
    await model.close().catch(() => undefined);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: Error) => {
    process.stderr.write(`dead-letters: ${error.message}\n`);
    process.exitCode = 1;
  },
);
