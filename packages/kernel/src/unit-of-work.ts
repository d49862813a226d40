/**
 * Port: runs work atomically. Everything the work writes through the given scope (repositories,
 * outbox, inbox) commits together, or nothing does when the work throws.
 * The scope type is owned by each bounded context.
 */
export interface UnitOfWork<Scope> {
  run<T>(work: (scope: Scope) => Promise<T>): Promise<T>;
}
