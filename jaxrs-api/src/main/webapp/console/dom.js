// Small DOM helpers: an element builder, error display next to what failed, formatting.

/**
 * h('button', {class: 'x', onclick: fn}, 'text', child...): an element. Attributes starting with "on" become
 * listeners; null/false attributes and children are skipped; strings become text (never HTML).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** A region that shows the outcome of an action: an error (role=alert) or a success message. */
export function statusLine() {
  const line = h('p', { 'aria-live': 'polite', class: 'status' });
  line.error = (error) => { line.className = 'error'; line.setAttribute('role', 'alert'); line.textContent = error.message || String(error); };
  line.ok = (message) => { line.className = 'ok'; line.removeAttribute('role'); line.textContent = message; };
  line.clear = () => { line.className = 'status'; line.removeAttribute('role'); line.textContent = ''; };
  return line;
}

/** Runs an async action from a button or form, showing its error in status; the button is disabled meanwhile. */
export async function act(status, control, action) {
  status.clear();
  if (control) control.disabled = true;
  try {
    return await action();
  } catch (error) {
    status.error(error);
    return undefined;
  } finally {
    if (control) control.disabled = false;
  }
}

export function table(caption, headers, rows) {
  return h('table', {},
    h('caption', { class: 'muted', style: 'text-align:left' }, caption),
    h('thead', {}, h('tr', {}, headers.map(header => h('th', { scope: 'col', class: header.num ? 'num' : null }, header.label ?? header)))),
    h('tbody', {}, rows));
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

// One formatter for all: toLocaleString builds a new one at every call.
const NUMBERS = new Intl.NumberFormat('en');
export const number = (n) => (n === null || n === undefined) ? '–' : NUMBERS.format(n);

/** A labelled field; the label wraps the control so that every control has its accessible name. */
export function field(label, control) {
  return h('label', {}, label, control);
}
