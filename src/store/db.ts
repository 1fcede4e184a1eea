// The storage seam. SQL is written once with named parameters (`@name`); a driver maps it to
// its dialect. Methods are async so that a networked driver (PostgreSQL) fits behind the same
// interface; the domain rules live in engine/ and api/, never here.
export type SqlParams = Record<string, unknown>;

export interface Db {
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  run(sql: string, params?: SqlParams): Promise<{ changes: number }>;
  // Runs fn atomically; transactions are serialized, and nested calls join the outer one.
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  // Inside a transaction: runs fn once the outermost transaction has committed, before that
  // transaction's promise resolves (never after a rollback). Outside one, a programming error.
  afterCommit(fn: () => Promise<void>): void;
  close(): Promise<void>;
}
