// Stacks of the selected account and region (ListStacks), filtered by status through the API
// and by a part of the name in the page; and one stack: GetStack with its outputs,
// ListStackResources, ListStackEvents as a timeline, and its change sets with their changes.
import { watch } from '../api.js';
import { badge, definitions, enc, h, heading, link, message, replace, table, time } from '../dom.js';
import { outputs, resources, stackSummary } from './stack.js';

// The statuses ListStacks filters by (ROS API reference, ListStacks `Status`).
const STATUSES = [
  'CREATE_IN_PROGRESS',
  'CREATE_FAILED',
  'CREATE_COMPLETE',
  'UPDATE_IN_PROGRESS',
  'UPDATE_FAILED',
  'UPDATE_COMPLETE',
  'DELETE_IN_PROGRESS',
  'DELETE_FAILED',
  'CREATE_ROLLBACK_IN_PROGRESS',
  'CREATE_ROLLBACK_FAILED',
  'CREATE_ROLLBACK_COMPLETE',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_FAILED',
  'ROLLBACK_COMPLETE',
];
const REFRESH_MS = 2000;

export async function render({ main, api, scope, setTitle }) {
  setTitle('Stacks');
  const status = h('select', { id: 'stack-status' }, h('option', { value: '' }, 'All'), STATUSES.map((s) => h('option', { value: s }, s)));
  const name = h('input', { id: 'stack-name', type: 'search', autocomplete: 'off', spellcheck: 'false' });
  const count = h('p', { class: 'live-note', role: 'status' });
  // Not a live region: a table re-read every few seconds would drown a screen reader.
  const list = h('div', { 'aria-busy': 'true' });
  let latest;

  const show = (data) => {
    latest = data;
    const part = name.value.trim().toLowerCase();
    const stacks = data.stacks.filter((s) => !part || s.StackName.toLowerCase().includes(part));
    list.removeAttribute('aria-busy');
    count.textContent = `${stacks.length} of ${data.stacks.length} stack${data.stacks.length === 1 ? '' : 's'}${status.value ? ` with status ${status.value}` : ''}.`;
    replace(
      list,
      stacks.length
        ? table(
            'Stacks',
            ['Name', 'Status', 'Reason', 'Created', 'Updated'],
            stacks.map((s) => [
              link(`#/stacks/${enc(scope.region)}/${enc(s.StackId)}`, s.StackName),
              badge(s.Status),
              s.StatusReason ?? '',
              time(s.CreateTime),
              time(s.UpdateTime),
            ]),
            { stacked: true },
          )
        : message('info', data.stacks.length ? 'No stack matches the filters.' : `No stacks${status.value ? ` with status ${status.value}` : ''} in this account and region.`),
    );
  };

  let stop = () => {};
  const follow = () => {
    stop();
    const wanted = status.value;
    const path = wanted ? `stacks?status=${enc(wanted)}` : 'stacks';
    // The account and region travel in the query string api.get adds; the status joins them.
    stop = watch(() => api.get(path), show, (e) => replace(list, message('error', `${e.code}: ${e.message}`)), REFRESH_MS);
  };
  status.addEventListener('change', follow);
  name.addEventListener('input', () => latest && show(latest));

  replace(
    main,
    heading('Stacks'),
    h('p', { class: 'lead' }, `Account ${scope.account} · region ${scope.region} · updates by itself. A stack of a stack group lives in its target account: pick that account above.`),
    h(
      'div',
      { class: 'toolbar filters' },
      h('label', { for: 'stack-status' }, 'Status '),
      status,
      h('label', { for: 'stack-name' }, 'Name contains '),
      name,
    ),
    count,
    list,
  );
  follow();
  return () => stop();
}

// Events newest first, as ListStackEvents gives them: one step per resource status change.
function timeline(events) {
  if (!events.length) return message('info', 'The stack has no events.');
  return h(
    'ol',
    { class: 'timeline', 'aria-label': 'Stack events, newest first' },
    events.map((e) =>
      h(
        'li',
        {},
        time(e.CreateTime),
        h('div', { class: 'event' }, badge(e.Status), ' ', h('strong', {}, e.LogicalResourceId), ' ', h('span', { class: 'muted' }, e.ResourceType), e.StatusReason ? h('p', { class: 'event-reason' }, e.StatusReason) : null),
      ),
    ),
  );
}

// Change sets newest first (ListChangeSets), each with its computed changes (GetChangeSet).
function changeSetList(changeSets) {
  if (!changeSets.length) return message('info', 'The stack has no change sets.');
  return changeSets.map((c) =>
    h(
      'article',
      { class: 'change-set', 'aria-label': `Change set ${c.ChangeSetName}` },
      h('h3', {}, c.ChangeSetName, ' ', badge(c.Status), ' ', badge(c.ExecutionStatus)),
      definitions([
        ['Type', c.ChangeSetType],
        ['Created', time(c.CreateTime)],
        ['Reason', c.StatusReason],
        ['Description', c.Description],
      ]),
      c.Changes.length
        ? table(
            `Changes of ${c.ChangeSetName}`,
            ['Action', 'Resource', 'Type', 'Physical ID', 'Replacement', 'Scope'],
            c.Changes.map(({ ResourceChange: r }) => [r.Action, r.LogicalResourceId, r.ResourceType, r.PhysicalResourceId ?? '', r.Replacement ?? '', (r.Scope ?? []).join(', ')]),
          )
        : message('info', /^CREATE_(PENDING|IN_PROGRESS)$/.test(c.Status) ? 'Being computed.' : 'No changes.'),
    ),
  );
}

const section = (id, title, ...content) => h('section', { 'aria-labelledby': id }, h('h2', { id }, title), content);

export async function renderDetail({ main, params, api, setTitle }) {
  const [region, id] = params;
  setTitle(`Stack ${id}`);
  const { stack, resources: list, events, changeSets } = await api.get(`stacks/${enc(id)}`, region);
  setTitle(`Stack ${stack.StackName}`);
  replace(
    main,
    h('p', { class: 'crumbs' }, link('#/stacks', 'Stacks'), ' / ', stack.StackName),
    heading('Stack ', h('span', { class: 'name' }, stack.StackName)),
    stackSummary(stack),
    definitions([
      ['Stack ID', h('code', {}, stack.StackId)],
      ['Region', stack.RegionId],
      ['Description', stack.Description],
      ['Drift', stack.StackDriftStatus],
    ]),
    section(
      'h-parameters',
      'Parameters',
      stack.Parameters?.length ? table('Parameters', ['Key', 'Value'], stack.Parameters.map((p) => [p.ParameterKey, String(p.ParameterValue)])) : message('info', 'No parameters.'),
    ),
    section('h-outputs', 'Outputs', outputs(stack)),
    section('h-resources', `Resources (${list.length})`, resources(list)),
    section('h-events', `Events (${events.length})`, timeline(events)),
    section('h-change-sets', `Change sets (${changeSets.length})`, changeSetList(changeSets)),
  );
}
