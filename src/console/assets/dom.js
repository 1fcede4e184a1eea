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

// A status as text in a coloured badge: the colour helps, the word carries the meaning.
export function badge(status, extra = '') {
  const value = status ?? 'UNKNOWN';
  return h('span', { class: `badge st-${value.toLowerCase().replace(/[^a-z]+/g, '-')} ${extra}`.trim() }, value);
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
