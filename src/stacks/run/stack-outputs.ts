// What Fn::GetStackOutput reads: the outputs of the calling account's other stacks, read once
// before a stack action (evaluation itself never reaches the store). Only templates that call the
// function pay for the read. A stack that is running or failed to delete has no readable outputs
// ("Fn::GetStackOutput" page: the function then answers an empty string).
import type { Db } from '../../store/db.ts';
import { stacks } from '../../store/repos/stacks.ts';
import { setKey } from '../template/json.ts';
import type { JsonValue, StackOutputLookup } from '../template/index.ts';

const UNREADABLE = /(_IN_PROGRESS|^DELETE_FAILED)$/;

// Asked for every target of a rollout, with one body: searched once (a 20 KB body searched for each of
// 10,000 targets is 200 MB read).
let lastBody: string | undefined;
let lastCalls = false;
function callsGetStackOutput(templateBody: string): boolean {
  if (templateBody !== lastBody) {
    lastBody = templateBody;
    lastCalls = templateBody.includes('GetStackOutput');
  }
  return lastCalls;
}

export async function stackOutputLookup(db: Db, accountId: string, templateBody: string): Promise<StackOutputLookup | undefined> {
  if (!callsGetStackOutput(templateBody)) return undefined;
  const byKey = new Map<string, Record<string, JsonValue>>();
  for (const stack of await stacks.outputsOfAccount(db, accountId)) {
    if (UNREADABLE.test(stack.status)) continue;
    const outputs: Record<string, JsonValue> = {};
    for (const item of stack.outputs) setKey(outputs, item.OutputKey, item.OutputValue);
    // A stack is named by its id or its name, within its region.
    byKey.set(`${stack.region_id}/${stack.id}`, outputs);
    byKey.set(`${stack.region_id}/${stack.name}`, outputs);
  }
  return (stack, regionId) => byKey.get(`${regionId}/${stack}`);
}
