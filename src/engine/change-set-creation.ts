// CreateChangeSet answers at once with the change set CREATE_PENDING, as the cloud documents;
// this computes it in the background: CREATE_IN_PROGRESS, then CREATE_COMPLETE (ExecutionStatus
// AVAILABLE) or CREATE_FAILED with the reason. Each phase lasts half of
// `simulation.stackOperationMs`. The inputs (template, values) are on the row and the stack is
// read when the computation runs, so a restart computes the ones left pending again.
import type { Logger } from '../log.ts';
import { ApiError } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import { changeSets } from '../store/repos/change-sets.ts';
import { stackResources } from '../store/repos/stack-resources.ts';
import { stacks } from '../store/repos/stacks.ts';
import type { Parameter } from './types.ts';
import { computeChangeSet, type ComputedChangeSet } from '../stacks/standalone/change-set-changes.ts';
import type { TemplateLoader } from '../stacks/template/template-loader.ts';
import { pseudoOf } from '../stacks/standalone/plan-run.ts';
import type { Clock } from './clock.ts';

export interface ChangeSetCreationOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  templates: TemplateLoader;
  stackOperationMs: number;
}

// A template or values the engine refuses make a CREATE_FAILED change set, not an error: the
// cloud computes change sets after it answers [INF].
function computed(run: () => ComputedChangeSet): { result?: ComputedChangeSet; failure?: string } {
  try {
    return { result: run() };
  } catch (e) {
    if (e instanceof ApiError) return { failure: e.message };
    throw e;
  }
}

// A reset (Services.reset) needs nothing from here: it deletes the change sets, so a computation
// left going updates no row and finds none to complete, and new change sets have new ids.
export class ChangeSetCreation {
  private closed = false;

  constructor(private readonly opts: ChangeSetCreationOptions) {}

  async resume(): Promise<void> {
    for (const id of await changeSets.creating(this.opts.db)) this.start(id);
  }

  // Called once the transaction that created the change set has committed, or by `resume`
  // before the server listens: once per change set in a process.
  start(id: string): void {
    if (this.closed) return;
    this.run(id).catch((e: unknown) => this.opts.log.error(`computing change set ${id} failed unexpectedly`, e));
  }

  private async run(id: string): Promise<void> {
    const { db, clock } = this.opts;
    const phaseMs = this.opts.stackOperationMs / 2;
    // The pending phase outlasts the request at least by a turn of the event loop.
    await (phaseMs > 0 ? clock.sleep(phaseMs) : new Promise((resolve) => setImmediate(resolve)));
    if (this.closed) return;
    await changeSets.setStatus(db, id, 'CREATE_IN_PROGRESS');
    if (phaseMs > 0) await clock.sleep(phaseMs);
    if (this.closed) return;
    await db.transaction(async (tx) => {
      const c = await changeSets.byId(tx, id);
      const stack = c && (await stacks.get(tx, c.stack_id));
      // Stryker disable next-line Regex: no change set status merely ends, or merely begins, with CREATE_PENDING or CREATE_IN_PROGRESS
      if (!c || !stack || !/^CREATE_(PENDING|IN_PROGRESS)$/.test(c.status)) return;
      const parameters = JSON.parse(c.parameters) as Parameter[];
      const held = c.type === 'UPDATE' ? { templateBody: stack.template_body, parameters: stack.parameters, resources: await stackResources.list(tx, stack.id) } : undefined;
      const { result, failure } = computed(() => computeChangeSet(this.opts.templates, c.template_body, parameters, pseudoOf(stack), held));
      await changeSets.complete(tx, id, {
        status: result ? 'CREATE_COMPLETE' : 'CREATE_FAILED',
        statusReason: failure ?? null,
        changes: result?.changes ?? [],
        shownParameters: result?.shownParameters ?? parameters,
      });
    });
  }

  close(): void {
    this.closed = true;
  }
}
