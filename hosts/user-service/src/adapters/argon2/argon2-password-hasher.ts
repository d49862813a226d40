import argon2 from 'argon2';
import type { PasswordHasher } from '@conference/user';

export interface Argon2Options {
  /** Memory per hash in KiB. Default 19456 (19 MiB), OWASP's minimum for argon2id. */
  readonly memoryKiB?: number;
  /** Passes over the memory. Default 2 (with 19 MiB: OWASP's recommendation). */
  readonly timeCost?: number;
  /** Lanes. Default 1: a login is one request, and the server's cores serve other requests meanwhile. */
  readonly parallelism?: number;
}

export const DEFAULT_ARGON2_OPTIONS: Required<Argon2Options> = { memoryKiB: 19_456, timeCost: 2, parallelism: 1 };

/**
 * PasswordHasher with argon2id (DESIGN §2). Hashes are PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`)
 * carrying their own parameters, so raising the cost later still verifies the old hashes.
 * argon2's verify throws on a string it cannot parse; the port promises false for those.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  private readonly options: Required<Argon2Options>;

  constructor(options: Argon2Options = {}) {
    this.options = { ...DEFAULT_ARGON2_OPTIONS, ...options };
    const { memoryKiB, timeCost, parallelism } = this.options;
    // argon2 needs at least 8 KiB per lane; below 1 MiB the hash protects next to nothing.
    if (!Number.isInteger(memoryKiB) || memoryKiB < 1024) throw new RangeError(`argon2 memory must be a whole number of KiB, at least 1024, not ${memoryKiB}`);
    if (!Number.isInteger(timeCost) || timeCost < 1) throw new RangeError(`argon2 time cost must be a whole number of at least 1, not ${timeCost}`);
    if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 16) throw new RangeError(`argon2 parallelism must be 1-16, not ${parallelism}`);
  }

  hash(plain: string): Promise<string> {
    return argon2.hash(plain, {
      type: argon2.argon2id,
      memoryCost: this.options.memoryKiB,
      timeCost: this.options.timeCost,
      parallelism: this.options.parallelism,
    });
  }

  async verify(hash: string, plain: string): Promise<boolean> {
    // Only argon2 PHC strings reach the library; anything else (empty, bcrypt, garbage) is not ours.
    if (!hash.startsWith('$argon2')) return false;
    try {
      return await argon2.verify(hash, plain);
    } catch {
      return false;
    }
  }
}
