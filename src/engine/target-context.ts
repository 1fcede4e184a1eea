// Where one finished target's effects are written: its operation, its account and region, and
// the transaction of the runner's turn.
import type { Db } from '../store/db.ts';
import type { Operation } from '../store/repos/operations.ts';
import type { TargetKey } from '../store/repos/stack-instances.ts';
import type { TurnWrites } from './turn-writes.ts';
import type { TemplateLoader } from '../stacks/template/template-loader.ts';

export interface TargetContext {
  db: Db;
  templates: TemplateLoader;
  op: Operation;
  groupName: string;
  target: TargetKey;
  now: string;
  // The hash of the operation's template body, stored before any of its targets ran: stacks
  // deployed from it name it without looking it up.
  templateHash?: string;
}

// A finished target's: its effects are gathered and written with the other targets' of the
// runner's turn.
export interface TurnContext extends TargetContext {
  writes: TurnWrites;
}
