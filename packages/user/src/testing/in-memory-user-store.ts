import type { OutgoingMessage, Role, UnitOfWork } from '@conference/kernel';
import { InMemoryOutbox, InMemoryTransactions, InMemoryUnitOfWork, emptyMessagingState, type MessagingState } from '@conference/kernel/testing';
import { UserErrors } from '../domain/errors.js';
import type { LoginSession } from '../domain/login-session.js';
import { emailKey, type User } from '../domain/user.js';
import type { LoginSessionRepository, RefreshTokenMatch } from '../ports/login-session-repository.js';
import type { UserListKey, UserListQuery, UserRepository } from '../ports/user-repository.js';
import type { UserScope } from '../ports/user-scope.js';

/** The tables of the user service, in memory. Structured-cloneable so a throw restores it whole. */
export interface UserStoreState extends MessagingState {
  users: Map<string, User>;
  loginSessions: Map<string, LoginSession>;
}

export const emptyUserStoreState = (): UserStoreState => ({ ...emptyMessagingState(), users: new Map(), loginSessions: new Map() });

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const compareListKeys = (a: UserListKey, b: UserListKey): number => a.createdAt.getTime() - b.createdAt.getTime() || compareIds(a.id, b.id);

export class InMemoryUserRepository implements UserRepository {
  constructor(private readonly state: () => UserStoreState) {}

  async insert(user: User): Promise<void> {
    const { users } = this.state();
    if (users.has(user.id)) throw new Error(`user ${user.id} already exists`);
    if (this.ownerOf(user.email)) throw UserErrors.emailTaken();
    users.set(user.id, structuredClone(user));
  }

  async findById(id: string): Promise<User | null> {
    const user = this.state().users.get(id);
    return user ? structuredClone(user) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const user = this.ownerOf(email);
    return user ? structuredClone(user) : null;
  }

  async update(user: User, expectedVersion: number): Promise<void> {
    const { users } = this.state();
    const stored = users.get(user.id);
    if (!stored || stored.version !== expectedVersion) throw UserErrors.staleUser(user.id);
    const owner = this.ownerOf(user.email);
    if (owner && owner.id !== user.id) throw UserErrors.emailTaken();
    users.set(user.id, structuredClone(user));
  }

  async list(query: UserListQuery): Promise<readonly User[]> {
    const needle = query.q?.toLowerCase();
    const after = query.after;
    return [...this.state().users.values()]
      .filter((user) => !needle || user.name.toLowerCase().includes(needle) || user.email.toLowerCase().includes(needle))
      .filter((user) => !after || compareListKeys(user, after) > 0)
      .sort(compareListKeys)
      .slice(0, query.limit)
      .map((user) => structuredClone(user));
  }

  async countByRole(role: Role): Promise<number> {
    // Transactions run one at a time here, so the count cannot change before commit.
    return [...this.state().users.values()].filter((user) => user.role === role).length;
  }

  private ownerOf(email: string): User | undefined {
    const key = emailKey(email);
    return [...this.state().users.values()].find((user) => emailKey(user.email) === key);
  }
}

export class InMemoryLoginSessionRepository implements LoginSessionRepository {
  constructor(private readonly state: () => UserStoreState) {}

  async insert(session: LoginSession): Promise<void> {
    const { loginSessions } = this.state();
    const hashes = [session.refreshTokenHash, ...session.rotatedTokenHashes];
    if (loginSessions.has(session.id) || hashes.some((hash) => this.holderOf(hash))) throw UserErrors.duplicateLoginSession();
    loginSessions.set(session.id, structuredClone(session));
  }

  async findById(id: string): Promise<LoginSession | null> {
    const session = this.state().loginSessions.get(id);
    return session ? structuredClone(session) : null;
  }

  async findByRefreshTokenHash(hash: string): Promise<RefreshTokenMatch | null> {
    const session = this.holderOf(hash);
    return session ? { session: structuredClone(session), current: session.refreshTokenHash === hash } : null;
  }

  async update(session: LoginSession, expectedVersion: number): Promise<void> {
    const { loginSessions } = this.state();
    const stored = loginSessions.get(session.id);
    if (!stored || stored.version !== expectedVersion) throw UserErrors.staleLoginSession(session.id);
    const hashes = [session.refreshTokenHash, ...session.rotatedTokenHashes];
    if (hashes.some((hash) => { const holder = this.holderOf(hash); return holder !== undefined && holder.id !== session.id; })) {
      throw UserErrors.duplicateLoginSession();
    }
    loginSessions.set(session.id, structuredClone(session));
  }

  async listActiveByUser(userId: string, now: Date): Promise<readonly LoginSession[]> {
    return [...this.state().loginSessions.values()]
      .filter((session) => session.userId === userId && session.revokedAt === null && session.expiresAt.getTime() > now.getTime())
      .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime() || compareIds(a.id, b.id))
      .map((session) => structuredClone(session));
  }

  private holderOf(hash: string): LoginSession | undefined {
    return [...this.state().loginSessions.values()].find(
      (session) => session.refreshTokenHash === hash || session.rotatedTokenHashes.includes(hash),
    );
  }
}

/**
 * The user service's storage in memory: one transaction at a time, rolled back whole on a throw.
 * `state` is there for tests that need to look behind the ports (e.g. the outbox).
 */
export class InMemoryUserStore {
  readonly transactions = new InMemoryTransactions<UserStoreState>(emptyUserStoreState());
  readonly uow: UnitOfWork<UserScope> = new InMemoryUnitOfWork(this.transactions, (state) => ({
    users: new InMemoryUserRepository(state),
    loginSessions: new InMemoryLoginSessionRepository(state),
    outbox: new InMemoryOutbox(state),
  }));

  get state(): UserStoreState {
    return this.transactions.state;
  }

  /** Messages committed to the outbox, oldest first. */
  pending(): readonly OutgoingMessage[] {
    return this.transactions.state.outbox;
  }
}
