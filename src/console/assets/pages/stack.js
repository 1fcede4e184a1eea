// A target's stack: the instance (GetStackInstance) and, when localros implements the stack read
// actions, the stack's status, outputs, resources and events. Until then each part says which
// action it is waiting for rather than showing anything made up.
import { badge, definitions, enc, h, heading, link, message, replace, table, time } from '../dom.js';

function unavailable(action) {
  return message('info', `Appears here once localros implements ${action}.`);
}

function failed(error) {
  return message('error', `${error.code}: ${error.message}`);
}

function part(p, action, show) {
  if (!p.available) return unavailable(action);
  if (p.error) return failed(p.error);
  return show(p.value);
}

export function stackSummary(stack) {
  return definitions([
    ['Stack name', stack.StackName],
    ['Status', badge(stack.Status)],
    ['Reason', stack.StatusReason],
    ['Created', time(stack.CreateTime)],
    ['Updated', time(stack.UpdateTime)],
  ]);
}

export function outputs(stack) {
  const list = stack.Outputs ?? [];
  if (!list.length) return message('info', 'The stack has no outputs.');
  return table('Outputs', ['Key', 'Value', 'Description'], list.map((o) => [o.OutputKey, typeof o.OutputValue === 'string' ? o.OutputValue : JSON.stringify(o.OutputValue), o.Description ?? '']));
}

export function resources(list) {
  if (!list.length) return message('info', 'The stack has no resources.');
  return table(
    'Resources',
    ['Logical ID', 'Type', 'Physical ID', 'Status', 'Reason'],
    list.map((r) => [r.LogicalResourceId, r.ResourceType, r.PhysicalResourceId ?? '', badge(r.Status), r.StatusReason ?? '']),
    { stacked: true },
  );
}

function events(list) {
  if (!list.length) return message('info', 'The stack has no events.');
  return table(
    'Events',
    ['Time', 'Logical ID', 'Type', 'Status', 'Reason'],
    list.map((e) => [time(e.CreateTime), e.LogicalResourceId, e.ResourceType, badge(e.Status), e.StatusReason ?? '']),
    { stacked: true },
  );
}

const section = (id, title, ...content) => h('section', { 'aria-labelledby': id }, h('h2', { id }, title), content);

export async function render({ main, params, api, setTitle }) {
  const [region, group, account, targetRegion] = params;
  setTitle(`Stack of ${account} / ${targetRegion}`);
  const view = await api.get(`groups/${enc(group)}/instances/${enc(account)}/${enc(targetRegion)}`, region);
  const inst = view.instance;
  const hasStack = Boolean(inst.StackId);
  replace(
    main,
    h('p', { class: 'crumbs' }, link('#/groups', 'Stack groups'), ' / ', link(`#/groups/${enc(region)}/${enc(group)}`, group), ' / ', `${account} / ${targetRegion}`),
    heading('Stack of ', h('span', { class: 'name' }, `${account} / ${targetRegion}`)),
    section(
      'h-instance',
      'Stack instance',
      definitions([
        ['Status', badge(inst.Status)],
        ['Reason', inst.StatusReason ?? h('span', { class: 'muted' }, 'none')],
        ['Stack ID', hasStack ? h('code', {}, inst.StackId) : h('span', { class: 'muted' }, 'no stack')],
        ['Parameter overrides', inst.ParameterOverrides?.length ? inst.ParameterOverrides.map((p) => h('div', {}, h('code', {}, `${p.ParameterKey}=${p.ParameterValue}`))) : h('span', { class: 'muted' }, 'none')],
      ]),
    ),
    hasStack
      ? [
          section('h-stack', 'Stack', part(view.stack, 'GetStack', stackSummary)),
          section('h-outputs', 'Outputs', part(view.stack, 'GetStack', outputs)),
          section('h-resources', 'Resources', part(view.resources, 'ListStackResources', resources)),
          section('h-events', 'Events', part(view.events, 'ListStackEvents', events)),
        ]
      : message('info', 'This instance has no stack: its target has not been deployed, was cancelled, or its stack was deleted.'),
  );
}
