/**
 * Port: one-way password hashing (argon2id in the hosts). The plain password is already
 * normalized by the domain.
 */
export interface PasswordHasher {
  /**
   * A self-describing hash (algorithm, parameters and a fresh random salt), so two hashes of one
   * password differ and neither contains the password.
   */
  hash(plain: string): Promise<string>;
  /**
   * Whether `plain` is the password behind `hash`. A hash this hasher cannot read (malformed,
   * another algorithm) gives false rather than throwing. Takes about as long whatever the answer.
   */
  verify(hash: string, plain: string): Promise<boolean>;
}
