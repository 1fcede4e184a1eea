// DOM helpers. Everything is built with createElement and text nodes, never innerHTML, so no
// value from the server (names, reasons, templates) can inject markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const SVG = 'http://www.w3.org/2000/svg';
// Shapes drawn in SVG rather than glyphs, which not every system font has. Each outcome has its
// own shape, so that it is told apart without colour too.
const SHAPES = {
  check: ['M3.5 8.5l3 3 6-7'],
  cross: ['M4.5 4.5l7 7', 'M11.5 4.5l-7 7'],
  warning: ['M8 1.8L14.6 13.6H1.4Z', 'M8 6.2v3.6', 'M8 11.9v.1'],
  pause: ['M5.5 3.5v9', 'M10.5 3.5v9'],
  clock: ['M8 1.8a6.2 6.2 0 1 0 .01 0Z', 'M8 4.6V8l2.4 1.6'],
  cancel: ['M8 1.8a6.2 6.2 0 1 0 .01 0Z', 'M3.6 12.4l8.8-8.8'],
};
const STATUS_ICONS = {
  CURRENT: 'check',
  SUCCEEDED: 'check',
  OUTDATED: 'clock',
  FAILED: 'cross',
  FAIL: 'cross',
  INOPERABLE: 'warning',
  HELD: 'pause',
  HOLD: 'pause',
  CANCELLED: 'cancel',
};

// A decorative icon: the text next to it carries the meaning, so screen readers skip it.
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 16 16', class: `icon icon-${name}`, 'aria-hidden': 'true', focusable: 'false' })) svg.setAttribute(k, v);
  for (const d of SHAPES[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

// Stack and resource statuses (CREATE_COMPLETE, UPDATE_FAILED, …) by how they end; a rollback
// that completed is the end of a failure, not a success.
function stackFamily(status) {
  if (/ROLLBACK_COMPLETE$/.test(status)) return 'rolled-back';
  return /_(COMPLETE|FAILED|IN_PROGRESS)$/.exec(status)?.[1].toLowerCase().replace('_', '-');
}
const FAMILY_ICONS = { complete: 'check', failed: 'cross', 'rolled-back': 'clock' };

export function statusIcon(status) {
  const name = STATUS_ICONS[status] ?? FAMILY_ICONS[stackFamily(status)];
  return name ? icon(name) : null;
}

// A status as text in a coloured badge: the colour and the icon help, the word carries the meaning.
export function badge(status, extra = '') {
  const value = status ?? 'UNKNOWN';
  const family = stackFamily(value);
  return h('span', { class: `badge st-${value.toLowerCase().replace(/[^a-z]+/g, '-')} ${family ? `sf-${family}` : ''} ${extra}`.replace(/\s+/g, ' ').trim() }, statusIcon(value), value);
}

// ROS times are UTC without a zone suffix (YYYY-MM-DDThh:mm:ss).
export function time(ros, { short = false } = {}) {
  if (!ros) return h('span', { class: 'muted' }, '—');
  const text = short ? ros.slice(11, 19) : `${ros.replace('T', ' ')} UTC`;
  return h('time', { datetime: `${ros}Z`, title: `${ros.replace('T', ' ')} UTC` }, text);
}

// A table that scrolls sideways inside a focusable, labelled box on narrow screens.
export function table(caption, headers, rows, { stacked = false } = {}) {
  const head = h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x))));
  const body = h(
    'tbody',
    {},
    rows.map((cells) => h('tr', {}, cells.map((c, i) => h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : undefined, 'data-label': headers[i] }, c)))),
  );
  const t = h('table', { class: stacked ? 'stacked' : undefined }, h('caption', { class: 'visually-hidden' }, caption), head, body);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption }, t);
}

export function definitions(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.filter(([, v]) => v !== undefined).map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v ?? h('span', { class: 'muted' }, '—')))),
  );
}

export function message(kind, ...text) {
  return h('p', { class: `callout ${kind}`, role: kind === 'error' ? 'alert' : undefined }, text);
}

export function link(href, text) {
  return h('a', { href }, text);
}

// A marker for behaviour the cloud does not document and localros had to choose
// (semantics.md §14, docs/fidelity.md).
export function choice(explanation) {
  return h('span', { class: 'choice', title: explanation }, 'localros choice');
}

export const enc = encodeURIComponent;

// Page headings take the focus after navigation, so they must be focusable.
export function heading(...children) {
  return h('h1', { tabindex: '-1' }, children);
}
