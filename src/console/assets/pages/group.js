// One stack group: its settings, template and parameters, its instances as an accounts ×
// regions grid coloured by status (the reason on hover, or on click for keyboard and touch),
// and its operations.
import { badge, choice, definitions, enc, h, heading, link, message, replace, table, time } from '../dom.js';

const LEGEND = [
  ['CURRENT', 'the stack matches the group'],
  ['OUTDATED', 'not deployed yet, failed, cancelled, or left behind by a group update'],
  ['INOPERABLE', 'its stack could not be deleted'],
];

function prettyTemplate(body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body; // YAML, shown as written.
  }
}

function instanceDetails(base, inst) {
  return [
    h('h3', {}, `${inst.AccountId} / ${inst.RegionId}`),
    definitions([
      ['Status', badge(inst.Status)],
      ['Reason', inst.StatusReason ?? h('span', { class: 'muted' }, 'none')],
      ['Stack ID', inst.StackId ? h('code', {}, inst.StackId) : h('span', { class: 'muted' }, 'no stack')],
    ]),
    h('p', {}, link(`${base}/instances/${enc(inst.AccountId)}/${enc(inst.RegionId)}`, `Open the stack of ${inst.AccountId} / ${inst.RegionId}`)),
  ];
}

function instanceGrid(base, instances) {
  const accounts = [...new Set(instances.map((i) => i.AccountId))].sort();
  const regions = [...new Set(instances.map((i) => i.RegionId))].sort();
  const byKey = new Map(instances.map((i) => [`${i.AccountId}/${i.RegionId}`, i]));
  const details = h('div', { class: 'panel', id: 'instance-details', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Select a cell to see its status and reason.'));
  let selected;
  const cell = (account, region) => {
    const inst = byKey.get(`${account}/${region}`);
    if (!inst) return h('span', { class: 'muted', title: 'no instance' }, '—');
    const button = h(
      'button',
      {
        type: 'button',
        class: `cell st-${inst.Status.toLowerCase()}`,
        title: inst.StatusReason ? `${inst.Status}: ${inst.StatusReason}` : inst.Status,
        // The table gives sighted users the row and column; the button's name must carry them.
        'aria-label': `${account} / ${region}: ${inst.Status}${inst.StatusReason ? ', has a reason' : ''}`,
        'aria-pressed': 'false',
        'aria-controls': 'instance-details',
        onclick: () => {
          selected?.setAttribute('aria-pressed', 'false');
          button.setAttribute('aria-pressed', 'true');
          selected = button;
          replace(details, instanceDetails(base, inst));
        },
      },
      inst.Status,
      inst.StatusReason ? h('span', { class: 'reason-mark', 'aria-hidden': 'true' }, 'i') : null,
    );
    return button;
  };
  const grid = h(
    'table',
    { class: 'grid' },
    h('caption', { class: 'visually-hidden' }, 'Stack instances by account (rows) and region (columns)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Account'), regions.map((r) => h('th', { scope: 'col' }, r)))),
    h('tbody', {}, accounts.map((a) => h('tr', {}, h('th', { scope: 'row' }, a), regions.map((r) => h('td', {}, cell(a, r)))))),
  );
  return [
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Stack instances grid' }, grid),
    h(
      'ul',
      { class: 'legend', 'aria-label': 'Legend' },
      LEGEND.map(([s, text]) => h('li', {}, badge(s), ` ${text}`, s === 'INOPERABLE' ? [' ', choice('ROS does not list INOPERABLE; localros uses it for failed deletes (semantics.md §14.4)')] : null)),
    ),
    details,
  ];
}

export async function render({ main, params, api, setTitle }) {
  const [region, name] = params;
  setTitle(`Stack group ${name}`);
  const { group, instances, operations, operationCount } = await api.get(`groups/${enc(name)}`, region);
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
    h('section', { 'aria-labelledby': 'h-instances' }, h('h2', { id: 'h-instances' }, `Instances (${instances.length})`), instances.length ? instanceGrid(base, instances) : message('info', 'No stack instances yet.')),
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
