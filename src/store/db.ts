// The storage seam. SQL is written once with named parameters (`@name`); a driver maps it to
// its dialect. Methods are async so that a networked driver (PostgreSQL) fits behind the same
// interface; the domain rules live in engine/ and api/, never here.
// An array binds SQL written with `?` placeholders, in order: what statements that insert or
// update many rows at once use, as naming each value of each row would cost more than the write.
export type SqlParams = Record<string, unknown> | readonly unknown[];

export interface Db {
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  // The same read answered at once, by a driver that reads in-process (SQLite): a request whose
  // every read is one of these is answered without a promise (the poll path, protocol/http.ts).
  // A networked driver leaves it out, and callers fall back to get().
  getNow?<T>(sql: string, params?: SqlParams): T | undefined;
  run(sql: string, params?: SqlParams): Promise<{ changes: number }>;
  // Runs fn atomically; transactions are serialized, and nested calls join the outer one.
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  // Inside a transaction: runs fn once the outermost transaction has committed, before that
  // transaction's promise resolves (never after a rollback). Outside one, a programming error.
  afterCommit(fn: () => Promise<void>): void;
  // Empties every table but those kept (the control plane's reset), whatever tables the
  // migrations made.
  clearTables(keep: ReadonlySet<string>): Promise<void>;
  close(): Promise<void>;
}

// What a driver's transaction body hands back: its value and the callbacks to run after commit.
export interface Committed<T> {
  value: T;
  afterCommit: readonly (() => Promise<void>)[];
}

// Transactions of one store run one after another (a failed one frees the queue too); the
// after-commit callbacks run once the queue is free, so that they may open transactions of
// their own.
export class TransactionQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(body: () => Promise<Committed<T>>): Promise<T> {
    const committed = this.tail.then(body);
    this.tail = committed.catch(() => undefined);
    return committed.then(async ({ value, afterCommit }) => {
      for (const fn of afterCommit) await fn();
      return value;
    });
  }

  // Resolves when every queued transaction has ended.
  async drained(): Promise<void> {
    await this.tail;
  }
}

export function afterCommitOutsideTransaction(): never {
  throw new Error('afterCommit is only available inside a transaction');
}
