// Small writes that many target actions make at once (a stack showing *_IN_PROGRESS as its
// action begins) are committed together: one transaction per turn of the event loop instead of
// one per target, which is what lets an operation start thousands of targets a second.
import type { Db } from '../../store/db.ts';

type Write = (tx: Db) => Promise<void>;

class WriteBatch {
  private queue: { write: Write; done: () => void; failed: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly db: Db) {}

  // Resolves once the write is committed.
  submit(write: Write): Promise<void> {
    return new Promise((done, failed) => {
      this.queue.push({ write, done, failed });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    try {
      await this.db.transaction(async (tx) => {
        for (const { write } of batch) await write(tx);
      });
    } catch (e) {
      for (const { failed } of batch) failed(e);
      return;
    }
    for (const { done } of batch) done();
  }
}

const batches = new WeakMap<Db, WriteBatch>();

export function submitWrite(db: Db, write: Write): Promise<void> {
  let batch = batches.get(db);
  if (!batch) batches.set(db, (batch = new WriteBatch(db)));
  return batch.submit(write);
}
