// Boots the console: the account and region pickers, and a hash router that renders one page
// module at a time into <main>. Each page may return a cleanup function (closing its event
// stream or timers), called when the user navigates away.
import { createApi } from './api.js';
import { h, message, replace } from './dom.js';
import * as faults from './pages/faults.js';
import * as group from './pages/group.js';
import * as groups from './pages/groups.js';
import * as operation from './pages/operation.js';
import * as operations from './pages/operations.js';
import * as stack from './pages/stack.js';
import * as stacks from './pages/stacks.js';

const ROUTES = [
  [/^\/groups$/, 'groups', groups.render],
  [/^\/groups\/([^/]+)\/([^/]+)$/, 'groups', group.render],
  [/^\/groups\/([^/]+)\/([^/]+)\/instances\/([^/]+)\/([^/]+)$/, 'groups', stack.render],
  [/^\/operations$/, 'operations', operations.render],
  [/^\/operations\/([^/]+)\/([^/]+)$/, 'operations', operation.render],
  [/^\/stacks$/, 'stacks', stacks.render],
  [/^\/stacks\/([^/]+)\/([^/]+)$/, 'stacks', stacks.renderDetail],
  [/^\/faults$/, 'faults', faults.render],
];
const STORAGE = 'localros.console.scope';
const DEFAULT_REGION = 'cn-hangzhou';

const main = document.getElementById('main');
const accountSelect = document.getElementById('account');
const regionSelect = document.getElementById('region');
const scope = { account: '', region: DEFAULT_REGION };
const api = createApi(scope);
let meta;
let cleanup;
let firstRender = true;
let renders = 0;

function saveScope() {
  localStorage.setItem(STORAGE, JSON.stringify(scope));
}

function fillPickers() {
  const saved = JSON.parse(localStorage.getItem(STORAGE) ?? '{}');
  scope.account = meta.accounts.includes(saved.account) ? saved.account : meta.accounts[0];
  scope.region = meta.regions.some((r) => r.RegionId === saved.region) ? saved.region : DEFAULT_REGION;
  replace(accountSelect, meta.accounts.map((a) => h('option', { value: a }, a)));
  replace(regionSelect, meta.regions.map((r) => h('option', { value: r.RegionId }, `${r.RegionId} — ${r.LocalName}`)));
  accountSelect.value = scope.account;
  regionSelect.value = scope.region;
}

// A page about something in one region shows that region in the picker.
function followRegion(region) {
  if (!region || region === scope.region || !meta.regions.some((r) => r.RegionId === region)) return;
  scope.region = region;
  regionSelect.value = region;
  saveScope();
}

async function render() {
  const generation = ++renders;
  cleanup?.();
  cleanup = undefined;
  const path = decodeURI(location.hash.replace(/^#/, '')) || '/groups';
  const found = ROUTES.map(([re, section, page]) => [re.exec(path), section, page]).find(([m]) => m);
  for (const a of document.querySelectorAll('nav a')) {
    if (found && a.dataset.section === found[1]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!found) {
    replace(main, h('h1', { tabindex: '-1' }, 'Not found'), message('error', `Nothing lives at ${path}. `, h('a', { href: '#/groups' }, 'Go to stack groups')));
    return;
  }
  const [match, , page] = found;
  const params = match.slice(1).map(decodeURIComponent);
  if (params.length) followRegion(params[0]);
  // Each page renders into its own box: a page still loading when the user moves on then
  // writes into a detached box instead of over the next page.
  const view = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  replace(main, view);
  const setTitle = (title) => generation === renders && (document.title = `${title} · localros console`);
  let done;
  try {
    done = await page({ main: view, params, api, scope, meta, setTitle });
  } catch (e) {
    replace(view, h('h1', { tabindex: '-1' }, 'Something went wrong'), message('error', `${e.code ? `${e.code}: ` : ''}${e.message}`));
  }
  if (generation !== renders) return done?.();
  cleanup = done;
  // Keyboard and screen-reader users land on the new page's heading, not at the old position.
  if (!firstRender) (view.querySelector('h1') ?? main).focus();
  firstRender = false;
}

function onScopeChange(event) {
  scope[event.target.name] = event.target.value;
  saveScope();
  // A detail page belongs to one account and region; another scope goes back to its list.
  const section = document.querySelector('nav a[aria-current="page"]')?.dataset.section ?? 'groups';
  const target = `#/${section}`;
  if (location.hash === target) render();
  else location.hash = target;
}

// The skip link's "#main" would be taken for a route by the hash router; it moves the focus
// to the content instead, leaving the address (and the page) as they are.
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
  main.scrollIntoView();
});

async function boot() {
  try {
    meta = await api.get('meta');
  } catch (e) {
    replace(main, h('h1', {}, 'The console cannot reach localros'), message('error', e.message));
    return;
  }
  fillPickers();
  accountSelect.addEventListener('change', onScopeChange);
  regionSelect.addEventListener('change', onScopeChange);
  window.addEventListener('hashchange', render);
  render();
}

boot();
