// One stack group: its settings, template and parameters, its instances as an accounts ×
// regions grid coloured by status (the reason on hover, or on click for keyboard and touch),
// and its operations.
import { badge, choice, definitions, enc, h, heading, icon, link, message, replace, statusIcon, table, time } from '../dom.js';

// What each kind of cell means. FAILED is not an API status: it is an OUTDATED instance whose
// latest operation failed on it, drawn apart so that a failure stands out from the merely
// not-yet-deployed or cancelled.
const KINDS = [
  ['CURRENT', 'the stack matches the group'],
  ['OUTDATED', 'not deployed yet, cancelled, or left behind by a group update'],
  ['FAILED', 'OUTDATED because the latest operation failed on it'],
  ['INOPERABLE', 'its stack could not be deleted'],
];
const HELD = 'HELD';

function prettyTemplate(body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body; // YAML, shown as written.
  }
}

const keyOf = (accountId, regionId) => `${accountId}/${regionId}`;

function kindOf(inst) {
  return inst.Status === 'OUTDATED' && inst.LastResult?.Status === 'FAILED' ? 'FAILED' : inst.Status;
}

// The second line of a cell: what the instance's latest operation is doing or did to it.
function noteOf(inst, hold) {
  if (hold) return 'held by a fault';
  if (kindOf(inst) === 'FAILED') return 'instance OUTDATED';
  const last = inst.LastResult?.Status;
  if (inst.Status === 'OUTDATED' && last && last !== 'SUCCEEDED') return last.toLowerCase();
  return undefined;
}

function instanceDetails(base, region, inst, hold) {
  const last = inst.LastResult;
  return [
    h('h3', {}, `${inst.AccountId} / ${inst.RegionId}`),
    definitions([
      ['Status', badge(inst.Status)],
      ['Reason', inst.StatusReason ?? h('span', { class: 'muted' }, 'none')],
      ['Latest operation', last ? [link(`#/operations/${enc(region)}/${enc(last.OperationId)}`, `${last.Action} ${last.OperationId.slice(0, 8)}`), ' ', badge(last.Status)] : h('span', { class: 'muted' }, 'none listed')],
      ['Held', hold ? [badge(HELD), ' by fault ', h('code', {}, hold.faultId.replace(/^fault-/, '').slice(0, 8)), ' — ', link('#/faults', 'release it on the Faults page')] : undefined],
      ['Stack ID', inst.StackId ? h('code', {}, inst.StackId) : h('span', { class: 'muted' }, 'no stack')],
    ]),
    h('p', {}, link(`${base}/instances/${enc(inst.AccountId)}/${enc(inst.RegionId)}`, `Open the stack of ${inst.AccountId} / ${inst.RegionId}`)),
  ];
}

function matches(filter, inst, hold) {
  if (!filter) return true;
  if (filter === HELD) return Boolean(hold);
  return kindOf(inst) === filter;
}

function instanceGrid(base, region, instances, held) {
  const accounts = [...new Set(instances.map((i) => i.AccountId))].sort();
  const regions = [...new Set(instances.map((i) => i.RegionId))].sort();
  const byKey = new Map(instances.map((i) => [keyOf(i.AccountId, i.RegionId), i]));
  const holds = new Map(held.map((t) => [keyOf(t.accountId, t.regionId), t]));
  const details = h('div', { class: 'panel', id: 'instance-details', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Select a cell to see its status and reason.'));
  let selectedKey;

  const counts = Object.fromEntries([...KINDS.map(([k]) => [k, 0]), [HELD, 0]]);
  for (const inst of instances) counts[kindOf(inst)] = (counts[kindOf(inst)] ?? 0) + 1;
  counts[HELD] = [...holds.keys()].filter((k) => byKey.has(k)).length;

  const filter = h(
    'select',
    { id: 'instance-filter' },
    h('option', { value: '' }, `All statuses (${instances.length})`),
    [...KINDS.map(([k]) => k), HELD].map((k) => h('option', { value: k }, `${k === HELD ? 'HELD by a fault' : k} (${counts[k]})`)),
  );
  const shown = h('p', { class: 'live-note', role: 'status', id: 'instance-shown' });

  const cell = (account, regionId, wanted) => {
    const key = keyOf(account, regionId);
    const inst = byKey.get(key);
    if (!inst) return h('span', { class: 'muted', title: 'no instance' }, '—');
    const hold = holds.get(key);
    if (!matches(wanted, inst, hold)) return h('span', { class: 'muted filtered', title: `${inst.Status}: not shown by the filter` }, h('span', { 'aria-hidden': 'true' }, '·'), h('span', { class: 'visually-hidden' }, 'not shown'));
    const kind = kindOf(inst);
    const note = noteOf(inst, hold);
    const button = h(
      'button',
      {
        type: 'button',
        class: `cell st-${kind.toLowerCase()}${hold ? ' held' : ''}`,
        title: inst.StatusReason ? `${inst.Status}: ${inst.StatusReason}` : inst.Status,
        // The table gives sighted users the row and column; the button's name must carry them.
        'aria-label': `${account} / ${regionId}: ${[kind, note].filter(Boolean).join(', ')}${inst.StatusReason ? ', has a reason' : ''}`,
        'aria-pressed': String(selectedKey === key),
        'aria-controls': 'instance-details',
        dataset: { key },
        onclick: () => {
          grid.querySelector('button.cell[aria-pressed="true"]')?.setAttribute('aria-pressed', 'false');
          button.setAttribute('aria-pressed', 'true');
          selectedKey = key;
          replace(details, instanceDetails(base, region, inst, hold));
        },
      },
      h('span', { class: 'cell-status' }, statusIcon(kind), kind, inst.StatusReason ? h('span', { class: 'reason-mark', 'aria-hidden': 'true' }, 'i') : null),
      note ? h('span', { class: 'cell-note' }, hold ? icon('pause') : null, note) : null,
    );
    return button;
  };

  const body = h('tbody');
  const grid = h(
    'table',
    { class: 'grid' },
    h('caption', { class: 'visually-hidden' }, 'Stack instances by account (rows) and region (columns)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Account'), regions.map((r) => h('th', { scope: 'col' }, r)))),
    body,
  );
  // A filter keeps only the accounts with a matching instance, so that the few failures of a
  // large fleet fit on one screen.
  const draw = () => {
    const wanted = filter.value;
    const rows = accounts.filter((a) => regions.some((r) => byKey.has(keyOf(a, r)) && matches(wanted, byKey.get(keyOf(a, r)), holds.get(keyOf(a, r)))));
    replace(body, rows.map((a) => h('tr', {}, h('th', { scope: 'row' }, a), regions.map((r) => h('td', {}, cell(a, r, wanted))))));
    const count = wanted ? counts[wanted] : instances.length;
    shown.textContent = wanted
      ? `Showing ${count} ${wanted === HELD ? 'held' : wanted} of ${instances.length} instances, in ${rows.length} of ${accounts.length} accounts.`
      : `Showing all ${instances.length} instances: ${accounts.length} accounts × ${regions.length} regions.`;
  };
  filter.addEventListener('change', draw);
  draw();

  return [
    h(
      'ul',
      { class: 'totals', 'aria-label': 'Instances per status' },
      [...KINDS.map(([k]) => k), HELD].map((k) => h('li', { class: counts[k] ? undefined : 'none', dataset: { status: k } }, badge(k), ' ', h('strong', {}, String(counts[k])))),
    ),
    h('div', { class: 'toolbar' }, h('label', { for: 'instance-filter' }, 'Show '), filter),
    shown,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Stack instances grid' }, grid),
    h(
      'ul',
      { class: 'legend', 'aria-label': 'Legend' },
      KINDS.map(([s, text]) => h('li', {}, badge(s), ` ${text}`, s === 'INOPERABLE' ? [' ', choice('ROS does not list INOPERABLE; localros uses it for failed deletes (semantics.md §14.4)')] : null)),
      h('li', {}, badge(HELD), ' a hold fault keeps its target RUNNING until released on the ', link('#/faults', 'Faults page')),
    ),
    details,
  ];
}

export async function render({ main, params, api, setTitle }) {
  const [region, name] = params;
  setTitle(`Stack group ${name}`);
  const { group, instances, operations, operationCount, held } = await api.get(`groups/${enc(name)}`, region);
  const base = `#/groups/${enc(region)}/${enc(name)}`;
  replace(
    main,
    h('p', { class: 'crumbs' }, link('#/groups', 'Stack groups'), ' / ', name),
    heading('Stack group ', h('span', { class: 'name' }, name)),
    definitions([
      ['Status', badge(group.Status)],
      ['Stack group ID', h('code', {}, group.StackGroupId)],
      ['Region', region],
      ['Permission model', group.PermissionModel],
      ['Description', group.Description],
      ['Administration role', group.AdministrationRoleName],
      ['Execution role', group.ExecutionRoleName],
      ['Created', time(group.CreateTime)],
      ['Updated', time(group.UpdateTime)],
    ]),
    h('section', { 'aria-labelledby': 'h-instances' }, h('h2', { id: 'h-instances' }, `Instances (${instances.length})`), instances.length ? instanceGrid(base, region, instances, held) : message('info', 'No stack instances yet.')),
    h(
      'section',
      { 'aria-labelledby': 'h-operations' },
      h('h2', { id: 'h-operations' }, `Operations (${operationCount})`),
      operations.length
        ? table(
            'Operations of this group',
            ['Operation', 'Action', 'Status', 'Created', 'Ended'],
            operations.map((o) => [link(`#/operations/${enc(region)}/${enc(o.OperationId)}`, o.OperationId), o.Action, badge(o.Status), time(o.CreateTime), time(o.EndTime)]),
            { stacked: true },
          )
        : message('info', 'No operations yet.'),
      operationCount > operations.length ? h('p', { class: 'muted' }, `Showing the newest ${operations.length}.`) : null,
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-parameters' },
      h('h2', { id: 'h-parameters' }, 'Parameters'),
      group.Parameters?.length
        ? table('Parameters', ['Key', 'Value'], group.Parameters.map((p) => [p.ParameterKey, p.ParameterValue]))
        : message('info', 'No parameter values set; the template defaults apply.'),
    ),
    h('section', { 'aria-labelledby': 'h-template' }, h('h2', { id: 'h-template' }, 'Template'), h('pre', { class: 'code', tabindex: '0', 'aria-label': 'Template body' }, h('code', {}, prettyTemplate(group.TemplateBody)))),
  );
}
