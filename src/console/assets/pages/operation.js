// One operation, live: the page subscribes to the server-sent events stream and redraws on
// every snapshot, with no manual refresh. Stop calls StopStackGroupOperation; the stream then
// shows STOPPING and, once the running targets have finished, STOPPED.
import { watch } from '../api.js';
import { badge, enc, h, heading, link, message, replace, table } from '../dom.js';
import { notes, preferences, regionCard, targetRows } from './operation-parts.js';

const STOPPABLE = new Set(['RUNNING', 'QUEUED']);
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);
const HOLDS_MS = 1000;

export async function render({ main, params, api, setTitle }) {
  const [region, id] = params;
  setTitle(`Operation ${id}`);
  const status = h('span', { id: 'op-status' }, badge('…'));
  const live = h('p', { class: 'live-note', id: 'live-note' }, 'Connecting…');
  const problem = h('div');
  const heldNote = h('div');
  const groupCrumb = h('span', {}, '…');
  const summary = h('div');
  const regions = h('ol', { class: 'regions', 'aria-label': 'Regions' });
  const targets = h('div');
  let current;

  const stopButton = h('button', { type: 'button', class: 'danger', hidden: true }, 'Stop operation');
  stopButton.addEventListener('click', async () => {
    stopButton.disabled = true;
    stopButton.textContent = 'Stopping…';
    replace(problem);
    try {
      await api.post(`operations/${enc(id)}/stop`, {}, region);
    } catch (e) {
      replace(problem, message('error', `Stop failed: ${e.code}: ${e.message}`));
      showStop(current?.operation.Status);
    }
  });

  function showStop(s) {
    stopButton.hidden = !STOPPABLE.has(s) && s !== 'STOPPING';
    stopButton.disabled = s === 'STOPPING';
    stopButton.textContent = s === 'STOPPING' ? 'Stopping…' : 'Stop operation';
  }

  // Targets of this operation that a hold fault keeps RUNNING ("account/region" → fault).
  let holds = new Map();

  function draw() {
    const snapshot = current;
    const count = (regionId) => snapshot.targets.filter((t) => t.regionId === regionId && holds.has(`${t.accountId}/${t.regionId}`)).length;
    replace(regions, snapshot.regions.map((r) => regionCard(r, count(r.regionId))));
    replace(targets, table(`Targets (${snapshot.targets.length})`, ['Target', 'Status', 'Timeline', 'Reason'], targetRows(snapshot, region, holds), { stacked: true }));
    replace(
      heldNote,
      holds.size
        ? message('warning', badge('HELD'), ` ${holds.size === 1 ? '1 target is' : `${holds.size} targets are`} held RUNNING by a fault: `, link('#/faults', 'release on the Faults page'), '.')
        : null,
    );
  }

  function update(snapshot) {
    const first = !current;
    const op = snapshot.operation;
    if (current?.operation.Status !== op.Status) replace(status, badge(op.Status));
    current = snapshot;
    showStop(op.Status);
    if (first) replace(groupCrumb, link(`#/groups/${enc(region)}/${enc(op.StackGroupName)}`, op.StackGroupName));
    replace(summary, preferences(op));
    draw();
    if (!TERMINAL.has(op.Status)) live.textContent = 'Live: this page updates by itself.';
  }

  function showHolds({ faults }) {
    holds = new Map(faults.flatMap((f) => f.held.filter((t) => t.operationId === id).map((t) => [`${t.accountId}/${t.regionId}`, f])));
    if (current) draw();
  }

  replace(
    main,
    h('p', { class: 'crumbs' }, link('#/operations', 'Operations'), ' / ', groupCrumb, ' / ', h('code', {}, id)),
    heading('Operation ', h('code', { class: 'name' }, id)),
    h('div', { class: 'status-line' }, h('p', { role: 'status', 'aria-live': 'polite' }, 'Status: ', status), stopButton),
    live,
    problem,
    heldNote,
    h('section', { 'aria-labelledby': 'h-summary' }, h('h2', { id: 'h-summary', class: 'visually-hidden' }, 'Summary'), summary),
    h('section', { 'aria-labelledby': 'h-regions' }, h('h2', { id: 'h-regions' }, 'Regions'), regions),
    h('section', { 'aria-labelledby': 'h-targets' }, h('h2', { id: 'h-targets' }, 'Targets'), targets),
    notes(),
  );

  // Holds live in the fault registry, not in the operation: read them alongside the stream.
  const stopHolds = watch(() => api.get('faults'), showHolds, () => {}, HOLDS_MS);
  const stream = new EventSource(api.streamUrl(`operations/${enc(id)}/events`, region));
  stream.addEventListener('snapshot', (e) => update(JSON.parse(e.data)));
  stream.addEventListener('problem', (e) => {
    const p = JSON.parse(e.data);
    replace(problem, message('error', `${p.code}: ${p.message}`));
  });
  stream.addEventListener('end', () => {
    stream.close();
    stopHolds();
    const finished = current && TERMINAL.has(current.operation.Status);
    // Nothing runs any more, so nothing is held.
    if (finished) showHolds({ faults: [] });
    live.textContent = finished ? 'Finished: nothing more will change.' : 'Live updates ended.';
  });
  stream.addEventListener('error', () => {
    live.textContent = stream.readyState === EventSource.CLOSED ? 'Live updates stopped: reload the page to try again.' : 'Connection lost, reconnecting…';
  });
  return () => {
    stream.close();
    stopHolds();
  };
}
