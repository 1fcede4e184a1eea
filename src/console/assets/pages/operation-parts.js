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

// `held`: how many of the region's targets a hold fault keeps RUNNING.
export function regionCard(r, held = 0) {
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
      held ? counter('Held by a fault', 'held', held, 'of the running') : null,
    ),
    h('div', { class: 'progress' }, h('span', { class: 'progress-text' }, progressText(r)), outcomeBar(r)),
  );
}

function progressText(r) {
  if (r.total > 0 && r.cancelled === r.total) return `None ran: all ${r.total} cancelled`;
  const finished = r.succeeded + r.failed;
  return `${finished} of ${r.total} finished${r.cancelled ? `, ${r.cancelled} cancelled` : ''}`;
}

// The region's targets by outcome in one bar: succeeded, failed, cancelled (hatched), running,
// and the pending rest left blank. A cancelled target never ran, so a region whose targets were
// all cancelled shows no green. The bar only repeats the counters, so screen readers skip it.
function outcomeBar(r) {
  const parts = [
    ['succeeded', r.succeeded],
    ['failed', r.failed],
    ['cancelled', r.cancelled],
    ['running', r.running],
    ['pending', r.pending],
  ].filter(([, n]) => n > 0);
  return h(
    'div',
    { class: 'outcome-bar', 'aria-hidden': 'true' },
    parts.map(([name, n]) => {
      const seg = h('span', { class: `seg seg-${name}`, dataset: { segment: name, count: String(n) } });
      // Through the CSSOM: the page's Content-Security-Policy forbids style attributes.
      seg.style.flexGrow = String(n);
      return seg;
    }),
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

// `holds`: "account/region" → the hold fault keeping that target RUNNING.
export function targetRows(snapshot, region, holds) {
  const op = snapshot.operation;
  const group = op.StackGroupName;
  return snapshot.targets.map((t) => [
    link(`#/groups/${enc(region)}/${enc(group)}/instances/${enc(t.accountId)}/${enc(t.regionId)}`, `${t.accountId} / ${t.regionId}`),
    heldBy(badge(t.status), holds.get(`${t.accountId}/${t.regionId}`)),
    steps(t, op.CreateTime, snapshot.seen.targets[`${t.accountId}/${t.regionId}`] ?? {}),
    t.reason ?? '',
  ]);
}

function heldBy(status, fault) {
  if (!fault) return status;
  return h('span', { class: 'held-status' }, status, ' ', badge('HELD'), ' ', h('span', { class: 'muted' }, 'by fault '), link('#/faults', fault.id.replace(/^fault-/, '').slice(0, 8)));
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
