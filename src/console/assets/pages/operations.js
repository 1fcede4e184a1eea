// Operations of every stack group in the selected account and region, newest first, kept up to
// date while the page is open.
import { watch } from '../api.js';
import { badge, enc, h, heading, link, message, replace, table, time } from '../dom.js';

const STATUSES = ['RUNNING', 'STOPPING', 'QUEUED', 'SUCCEEDED', 'FAILED', 'STOPPED'];
const REFRESH_MS = 1000;

export async function render({ main, api, scope, setTitle }) {
  setTitle('Operations');
  const filter = h('select', { id: 'status-filter' }, h('option', { value: '' }, 'All'), STATUSES.map((s) => h('option', { value: s }, s)));
  // Not a live region: a table re-read every second would drown a screen reader.
  const list = h('div', { 'aria-busy': 'true' });
  let latest;
  const show = (data) => {
    latest = data;
    const wanted = filter.value;
    const ops = data.operations.filter((o) => !wanted || o.Status === wanted);
    list.removeAttribute('aria-busy');
    replace(
      list,
      ops.length
        ? table(
            'Operations',
            ['Operation', 'Stack group', 'Action', 'Status', 'Created', 'Ended'],
            ops.map((o) => [
              link(`#/operations/${enc(scope.region)}/${enc(o.OperationId)}`, o.OperationId),
              link(`#/groups/${enc(scope.region)}/${enc(o.StackGroupName)}`, o.StackGroupName),
              o.Action,
              badge(o.Status),
              time(o.CreateTime),
              time(o.EndTime),
            ]),
            { stacked: true },
          )
        : message('info', wanted ? `No ${wanted} operations.` : 'No operations in this account and region yet.'),
      data.truncated ? h('p', { class: 'muted' }, 'Only the newest 50 operations of each group are listed; see a group for its full list.') : null,
    );
  };
  filter.addEventListener('change', () => latest && show(latest));
  replace(
    main,
    heading('Operations'),
    h('p', { class: 'lead' }, `Account ${scope.account} · region ${scope.region} · updates by itself`),
    h('div', { class: 'toolbar' }, h('label', { for: 'status-filter' }, 'Status '), filter),
    list,
  );
  return watch(
    () => api.get('operations'),
    show,
    (e) => replace(list, message('error', e.message)),
    REFRESH_MS,
  );
}
