// Fault rules and holds: list, add, remove. Removing a hold releases every target it holds
// (the registry releases holds per rule, not per target). The list refreshes by itself, so
// targets appear under their hold as the engine reaches them.
import { watch } from '../api.js';
import { badge, enc, h, heading, link, message, replace, table } from '../dom.js';

const REFRESH_MS = 1000;

function field(label, control, hint) {
  const id = control.id;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

const input = (id, attrs = {}) => h('input', { id, name: id, ...attrs });
const select = (id, options) => h('select', { id, name: id }, options.map(([value, text]) => h('option', { value }, text)));

function form(meta, onSubmit) {
  const regions = [['', 'any region'], ...meta.regions.map((r) => [r.RegionId, r.RegionId])];
  const el = h(
    'form',
    { class: 'fault-form', 'aria-labelledby': 'h-add' },
    h('h2', { id: 'h-add' }, 'Add a fault'),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Applies to target actions matching (blank matches any)'),
      field('Target account ID', input('f-account', { inputmode: 'numeric', autocomplete: 'off' })),
      field('Target region', select('f-region', regions)),
      field('Stack group name', input('f-group', { autocomplete: 'off' })),
      field('Action', select('f-action', [['', 'any action'], ['CREATE', 'CREATE'], ['UPDATE', 'UPDATE'], ['DELETE', 'DELETE']])),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Effect'),
      field('Effect', select('f-effect', [['hold', 'hold'], ['fail', 'fail'], ['delay', 'delay']]), 'hold keeps targets RUNNING until released; fail makes them fail; delay slows them.'),
      field('Failure message', input('f-message', { maxlength: '1024' }), 'With fail: the result’s and instance’s reason.'),
      field('Delay (ms)', input('f-delay', { type: 'number', min: '0', step: '1' }), 'Required with delay.'),
      field('Times', input('f-times', { type: 'number', min: '1', step: '1' }), 'How many target actions it applies to; blank for all.'),
    ),
    h('div', { class: 'form-error', id: 'f-error' }),
    h('button', { type: 'submit' }, 'Add fault'),
  );
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (id) => el.querySelector(`#${id}`).value.trim();
    const match = Object.fromEntries(
      [['accountId', v('f-account')], ['regionId', v('f-region')], ['stackGroupName', v('f-group')], ['action', v('f-action')]].filter(([, x]) => x),
    );
    const spec = { match, effect: v('f-effect') };
    if (v('f-message')) spec.message = v('f-message');
    if (v('f-delay')) spec.delayMs = Number(v('f-delay'));
    if (v('f-times')) spec.times = Number(v('f-times'));
    onSubmit(spec, el);
  });
  return el;
}

function describeMatch(m) {
  const parts = Object.entries(m).map(([k, x]) => `${k}=${x}`);
  return parts.length ? parts.join(', ') : 'every target action';
}

function heldList(fault, scope) {
  if (fault.effect !== 'hold') return '';
  if (!fault.held.length) return h('span', { class: 'muted' }, 'none yet');
  return h(
    'ul',
    { class: 'held' },
    fault.held.map((t) => h('li', {}, `${t.accountId} / ${t.regionId} of `, link(`#/operations/${enc(scope.region)}/${enc(t.operationId)}`, t.operationId.slice(0, 8)))),
  );
}

export async function render({ main, api, scope, meta, setTitle }) {
  setTitle('Faults');
  const list = h('div', { 'aria-busy': 'true' });
  const status = h('p', { role: 'status', class: 'live-note' });

  async function remove(fault) {
    try {
      await api.del(`faults/${enc(fault.id)}`);
      status.textContent = fault.effect === 'hold' && fault.held.length ? `Released ${fault.held.length} held target(s) and removed the hold.` : 'Fault removed.';
      // The button is gone with its row; keep the keyboard user in the list.
      main.querySelector('#h-faults').focus();
    } catch (e) {
      status.textContent = `Could not remove the fault: ${e.message}`;
    }
  }

  const show = ({ faults }) => {
    list.removeAttribute('aria-busy');
    if (!faults.length) return replace(list, message('info', 'No faults. Every target action runs normally.'));
    const rows = faults.map((f) => [
      h('code', { title: f.id }, f.id.replace(/^fault-/, '').slice(0, 8)),
      badge(f.effect.toUpperCase()),
      describeMatch(f.match),
      f.effect === 'delay' ? `${f.delayMs} ms` : (f.message ?? ''),
      f.timesRemaining === null ? 'unlimited' : String(f.timesRemaining),
      heldList(f, scope),
      h(
        'button',
        { type: 'button', class: f.effect === 'hold' && f.held.length ? 'primary' : 'secondary', onclick: () => remove(f) },
        f.effect === 'hold' && f.held.length ? `Release ${f.held.length} held` : 'Remove',
        h('span', { class: 'visually-hidden' }, ` fault ${f.id}`),
      ),
    ]);
    replace(list, table('Faults', ['Fault', 'Effect', 'Matches', 'Message or delay', 'Times left', 'Held targets', 'Action'], rows, { stacked: true }));
  };

  const add = async (spec, formEl) => {
    const error = formEl.querySelector('#f-error');
    try {
      await api.post('faults', spec);
      replace(error);
      formEl.reset();
      status.textContent = `Added a ${spec.effect} fault.`;
    } catch (e) {
      replace(error, message('error', e.message));
    }
  };

  replace(
    main,
    heading('Faults'),
    h('p', { class: 'lead' }, 'Make target actions fail, wait or take longer, as the control plane’s /_localros/faults does. A hold keeps its targets RUNNING until you release it here.'),
    status,
    h('section', { 'aria-labelledby': 'h-faults' }, h('h2', { id: 'h-faults', tabindex: '-1' }, 'Active faults'), list),
    form(meta, add),
  );
  return watch(() => api.get('faults'), show, (e) => replace(list, message('error', e.message)), REFRESH_MS);
}
