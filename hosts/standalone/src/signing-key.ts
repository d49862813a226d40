import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generateSigningKey } from '@conference/http-kit';

/**
 * The user service's access-token signing key for the embedded profile, as JWK text: read from
 * `DATA_DIR/secrets/jwt-signing-key.json`, or generated and written there (owner-only) on the first
 * start. Persisting it is what keeps access tokens valid across a restart, as JWT_PRIVATE_KEY does
 * in the postgres profile; a key generated per start would log everyone out on every restart.
 */
export async function persistedSigningKey(dataDir: string): Promise<{ readonly jwk: string; readonly file: string; readonly created: boolean }> {
  const file = join(dataDir, 'secrets', 'jwt-signing-key.json');
  try {
    return { jwk: (await readFile(file, 'utf8')).trim(), file, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const jwk = JSON.stringify(await generateSigningKey());
  // Written aside and renamed: a crash never leaves half a key that would fail every later start.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${jwk}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return { jwk, file, created: true };
}
