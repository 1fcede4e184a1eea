// GetStackGroupOperation is the call every rollout polls, hundreds of times per operation. All
// its answer shows but Status and EndTime is fixed when the operation is accepted (a group's
// name, account and region never change, and operations.setStatus is the only update of an
// operation row), so the operation's parsed view is kept here: a poll reads only the columns
// that move, by primary key, and the answer built from the view, with its JSON, is handed out
// again until they move. A row that is gone (a reset) or that is not the one cached (checked by
// group and creation time) is read afresh.
import type { Db } from '../store/db.ts';
import { operations, type OperationState, type OperationView } from '../store/repos/operations.ts';
import type { ResponseBody } from './types.ts';

export interface PolledOperation {
  view: OperationView;
  // The answer for the view's current status, once built (see keepAnswer).
  answer?: ResponseBody;
}

// Operations polled recently; the oldest is forgotten first.
const MAX_KEPT = 1024;
const kept = new Map<string, PolledOperation>();

// Answered at once when the operation is kept and the driver reads in-process (every poll of a
// running rollout on SQLite): no promise on the path; through the store's promises otherwise.
export function pollOperation(db: Db, id: string): PolledOperation | undefined | Promise<PolledOperation | undefined> {
  const cached = kept.get(id);
  if (!cached) return readAfresh(db, id);
  const live = operations.stateNow(db, id);
  return live === null ? operations.state(db, id).then((state) => checked(db, id, cached, state)) : checked(db, id, cached, live);
}

// The kept entry brought up to date with its row's state, or read afresh when the row is gone or
// is not the one kept.
function checked(db: Db, id: string, cached: PolledOperation, live: OperationState | undefined): PolledOperation | undefined | Promise<PolledOperation | undefined> {
  const view = cached.view;
  if (live && live.group_id === view.group_id && live.create_time === view.create_time) {
    if (live.status !== view.status || live.end_time !== view.end_time) {
      cached.view = { ...view, status: live.status, end_time: live.end_time };
      cached.answer = undefined;
    }
    return cached;
  }
  kept.delete(id);
  return live ? readAfresh(db, id) : undefined;
}

async function readAfresh(db: Db, id: string): Promise<PolledOperation | undefined> {
  const view = await operations.view(db, id);
  if (!view) return undefined;
  const polled: PolledOperation = { view };
  if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value!);
  kept.set(id, polled);
  return polled;
}

// Keeps an answer built from `polled.view` for the next polls, frozen: it is shared by them.
export function keepAnswer(polled: PolledOperation, answer: ResponseBody): ResponseBody {
  polled.answer = deepFreeze(answer);
  return answer;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
