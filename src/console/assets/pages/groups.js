// Stack groups of the selected account and region (ListStackGroups).
import { badge, enc, h, heading, link, message, replace, table, time } from '../dom.js';

export async function render({ main, api, scope, setTitle }) {
  setTitle('Stack groups');
  const { groups } = await api.get('groups');
  const rows = groups.map((g) => [
    link(`#/groups/${enc(scope.region)}/${enc(g.StackGroupName)}`, g.StackGroupName),
    badge(g.Status),
    g.PermissionModel,
    g.Description ?? '',
    time(g.CreateTime),
    time(g.UpdateTime),
  ]);
  replace(
    main,
    heading('Stack groups'),
    h('p', { class: 'lead' }, `Account ${scope.account} · region ${scope.region}`),
    groups.length
      ? table('Stack groups', ['Name', 'Status', 'Permission model', 'Description', 'Created', 'Updated'], rows, { stacked: true })
      : message('info', 'No stack groups in this account and region. Create one with CreateStackGroup, or pick another region above.'),
  );
}
