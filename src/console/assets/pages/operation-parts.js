// The pieces of the operation page: preferences, one card per region (window and tolerance
// counters) and one timeline per target.
import { badge, choice, definitions, enc, h, link, time } from '../dom.js';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export function preferences(op) {
  const p = op.OperationPreferences ?? {};
  const window = p.MaxConcurrentPercentage !== undefined ? `${p.MaxConcurrentPercentage}% of each region's targets` : `${p.MaxConcurrentCount} per region`;
  const tolerance = p.FailureTolerancePercentage !== undefined ? `${p.FailureTolerancePercentage}% of each region's targets` : `${p.FailureToleranceCount} per region`;
  return definitions([
    ['Action', op.Action],
    ['Stack group', op.StackGroupName],
    ['Description', op.OperationDescription],
    ['Concurrency', window],
    ['Failure tolerance', tolerance],
    ['Regions', `${p.RegionConcurrencyType ?? 'SEQUENTIAL'}: ${(p.RegionIdsOrder ?? []).join(' → ')}`],
    ['Created', time(op.CreateTime)],
    ['Ended', time(op.EndTime)],
  ]);
}

function counter(label, field, value, note) {
  return h('div', {}, h('dt', {}, label), h('dd', { dataset: { field } }, String(value), note ? h('span', { class: 'muted' }, ` ${note}`) : null));
}

export function regionCard(r) {
  const done = r.succeeded + r.failed + r.cancelled;
  const toleranceNote = r.state === 'tolerance exceeded' ? `of ${r.tolerance} tolerated: exceeded` : `of ${r.tolerance} tolerated, ${r.toleranceLeft} left`;
  const id = `region-${r.regionId}`;
  return h(
    'li',
    { class: `region-card state-${r.state.replace(/ /g, '-')}`, 'aria-labelledby': id, dataset: { region: r.regionId } },
    h('h3', { id }, r.regionId, ' ', h('span', { class: 'region-state' }, r.state)),
    h(
      'dl',
      { class: 'counters' },
      counter('Running', 'running', r.running, `of window ${r.window}`),
      counter('Pending', 'pending', r.pending),
      counter('Succeeded', 'succeeded', r.succeeded),
      counter('Failed', 'failed', r.failed, toleranceNote),
      counter('Cancelled', 'cancelled', r.cancelled),
    ),
    h('label', { class: 'progress' }, h('span', {}, `${done} of ${r.total} done`), h('progress', { max: String(Math.max(r.total, 1)), value: String(done) })),
  );
}

// PENDING → RUNNING → SUCCEEDED / FAILED, or PENDING → CANCELLED when it never started. PENDING
// is the operation's creation time; later steps carry the time the console saw them, if it did.
function steps(target, createTime, seen) {
  const s = target.status;
  const started = s === 'RUNNING' || s === 'SUCCEEDED' || s === 'FAILED';
  const list = [
    { name: 'PENDING', state: s === 'PENDING' ? 'current' : 'done', at: createTime },
    { name: 'RUNNING', state: s === 'RUNNING' ? 'current' : started ? 'done' : s === 'CANCELLED' ? 'skipped' : 'todo', at: seen.RUNNING },
    FINAL.has(s) ? { name: s, state: 'final', at: seen[s] } : { name: 'finished', state: 'todo' },
  ];
  return h(
    'ol',
    { class: 'steps', 'aria-label': `Timeline of ${target.accountId} / ${target.regionId}` },
    list.map((step) =>
      h(
        'li',
        { class: `step step-${step.state} ${step.state === 'final' || step.state === 'current' ? `st-${step.name.toLowerCase()}` : ''}`.trim() },
        step.state === 'skipped' ? h('span', {}, h('s', {}, 'RUNNING'), h('span', { class: 'visually-hidden' }, ' (never started)')) : step.name,
        step.at && step.state !== 'todo' && step.state !== 'skipped' ? [' ', time(step.at, { short: true })] : null,
      ),
    ),
  );
}

export function targetRows(snapshot, region) {
  const op = snapshot.operation;
  const group = op.StackGroupName;
  return snapshot.targets.map((t) => [
    link(`#/groups/${enc(region)}/${enc(group)}/instances/${enc(t.accountId)}/${enc(t.regionId)}`, `${t.accountId} / ${t.regionId}`),
    badge(t.status),
    steps(t, op.CreateTime, snapshot.seen.targets[`${t.accountId}/${t.regionId}`] ?? {}),
    t.reason ?? '',
  ]);
}

export function notes() {
  return h(
    'details',
    { class: 'notes' },
    h('summary', {}, 'How localros runs operations'),
    h(
      'ul',
      {},
      h('li', {}, 'Each region has its own window (targets running at once) and its own failure tolerance; percentages round down. ', choice('semantics.md §7.2, §14.6: concurrency is not coupled to tolerance')),
      h('li', {}, 'A region whose failures exceed its tolerance fails: every unstarted target of the operation, in every region, is cancelled with "Cancelled since failure tolerance has exceeded". ', choice('the AWS wording; ROS publishes none (semantics.md §14.10)')),
      h('li', {}, 'Stop cancels every unstarted target at once ("User initiated stop"); running targets finish with their real outcome. The operation is STOPPING until they have, then STOPPED.'),
      h('li', {}, 'Times after PENDING are when this console saw the change (it reads the operation every 200 ms while the page is open); the API keeps no per-target times.'),
    ),
  );
}
