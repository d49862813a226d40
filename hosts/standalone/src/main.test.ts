import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

describe('node dist/main.js (what npm start runs)', function () {
  this.timeout(120_000);
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'standalone-main-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints its URL, serves /health and the API, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_EMAIL: 'admin@main.test', ADMIN_PASSWORD: 'admin-password-123' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed in time; stdout: ${stdout} stderr: ${stderr}`)), 90_000);
        const look = () => {
          const match = /URL:\s+(http:\/\/\S+)/.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        };
        child.stdout.on('data', look);
        void exited.then((code) => reject(new Error(`exited ${String(code)} before printing a URL: ${stderr}`)));
      });
      expect(stdout).to.include(dataDir);
      expect(stdout).to.include(join(dataDir, 'mailbox'));
      expect(stdout).to.include('admin@main.test');

      expect((await fetch(`${url}/health`)).status).to.equal(200);
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@main.test', password: 'admin-password-123' }),
      });
      expect(login.status).to.equal(200);
      const events = await fetch(`${url}/api/events`);
      expect(events.status).to.equal(200);
      expect(await events.json()).to.have.property('items');

      child.kill('SIGTERM');
      expect(await exited, stderr).to.equal(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
