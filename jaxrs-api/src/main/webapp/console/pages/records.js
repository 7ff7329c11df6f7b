// Records: browse a partition or all of them from the beginning, the end, an offset or a timestamp; filter by key or
// a substring; values as text, pretty JSON or hex; paged so that 10,000 records never freeze the page. Producers
// get a form to produce a record.
import { get, post, seg } from '../api.js';
import { h, act, field, number, statusLine } from '../dom.js';
import { parsePairs } from './pairs.js';

const PAGE = 100;
const CUT = 300;

export default async function records(main, { user, params: [name], query, go }) {
  const details = await get(`topics/${seg(name)}`);
  main.append(h('h1', {}, `Records of ${name}`), h('p', {}, h('a', { href: `#/topics/${seg(name)}` }, `Back to topic ${name}`)));
  if (user.can('tributary-producer')) main.append(produceForm(name, details.partitionCount));
  if (!user.can('tributary-consumer')) {
    main.append(h('p', { class: 'muted' }, 'Reading records needs the tributary-consumer role.'));
    return;
  }

  const partition = h('select', { name: 'partition', id: 'browse-partition' },
    h('option', { value: 'all' }, 'All partitions'),
    details.partitions.map(p => h('option', { value: p.partition }, `Partition ${p.partition}`)));
  partition.value = query.get('partition') ?? 'all';
  const from = h('select', { name: 'from', id: 'browse-from' }, ['beginning', 'end', 'offset', 'timestamp'].map(v => h('option', { value: v }, v)));
  from.value = query.get('from') ?? 'beginning';
  const position = h('input', { name: 'position', id: 'browse-position', value: query.get('at') ?? '', placeholder: 'offset, or ISO time / epoch ms' });
  const limit = h('input', { name: 'limit', type: 'number', min: 1, max: 10000, id: 'browse-limit', value: query.get('limit') ?? 100 });
  const filter = h('input', { name: 'filter', type: 'search', id: 'browse-filter', value: query.get('filter') ?? '' });
  const filterOn = h('select', { name: 'filterOn', id: 'browse-filter-on' }, h('option', { value: 'any' }, 'key or value'), h('option', { value: 'key' }, 'key only'));
  const view = h('select', { name: 'view', id: 'browse-view' }, ['text', 'json', 'hex'].map(v => h('option', { value: v }, v)));
  view.value = query.get('view') ?? 'text';
  const status = statusLine();
  const load = h('button', { type: 'submit', id: 'browse-load' }, 'Load records');
  const results = h('div', { id: 'records' });
  main.append(h('section', { class: 'panel', 'aria-labelledby': 'browse-h' }, h('h2', { id: 'browse-h' }, 'Browse'),
    h('form', { class: 'inline', 'aria-label': 'Browse records', onsubmit: (event) => {
      event.preventDefault();
      const at = { partition: partition.value, from: from.value, at: position.value, limit: limit.value, filter: filter.value, view: view.value };
      history.replaceState(null, '', `#/topics/${seg(name)}/records?${new URLSearchParams(at)}`);
      act(status, load, () => browse());
    } }, field('Partition', partition), field('From', from), field('Offset or time', position), field('How many (at most 10,000)', limit),
    field('Filter', filter), field('Filter on', filterOn), field('Show values as', view), load), status, results));

  let loaded = [];
  let page = 0;
  const browse = async () => {
    const partitions = partition.value === 'all' ? details.partitions : details.partitions.filter(p => String(p.partition) === partition.value);
    const count = Math.min(10000, Math.max(1, Number(limit.value) || 100));
    const pages = await Promise.all(partitions.map(p => get(`topics/${seg(name)}/partitions/${p.partition}/records?${start(p, count)}&limit=${count}`)
      .then(answer => answer.records.map(r => ({ ...r, partition: p.partition })))));
    loaded = pages.flat();
    if (partitions.length > 1) loaded.sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset);
    if (loaded.length > count) loaded = from.value === 'end' ? loaded.slice(loaded.length - count) : loaded.slice(0, count);
    page = 0;
    show();
  };
  const start = (p, count) => {
    switch (from.value) {
      case 'end': return `offset=${Math.max(p.logStartOffset, p.highWatermark - count)}`;
      case 'offset': return `offset=${encodeURIComponent(position.value.trim() || '0')}`;
      case 'timestamp': {
        const text = position.value.trim();
        const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
        if (Number.isNaN(ms)) throw new Error(`"${text}" is neither an ISO time nor epoch milliseconds`);
        return `timestamp=${ms}`;
      }
      default: return `offset=${p.logStartOffset}`;
    }
  };
  const matching = () => {
    const needle = filter.value;
    if (!needle) return loaded;
    return loaded.filter(r => (r.key ?? '').includes(needle) || (filterOn.value === 'any' && (r.value ?? '').includes(needle)));
  };
  const show = () => {
    const started = performance.now();
    const shown = matching();
    const pageCount = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pageCount - 1);
    const rows = shown.slice(page * PAGE, page * PAGE + PAGE);
    const pager = h('div', { class: 'pager' },
      h('button', { type: 'button', class: 'secondary', disabled: page === 0, onclick: () => { page--; show(); } }, 'Previous page'),
      h('span', { id: 'records-count' }, `${number(shown.length)} records${shown.length !== loaded.length ? ` (of ${number(loaded.length)} loaded)` : ''}, page ${page + 1} of ${pageCount}`),
      h('button', { type: 'button', class: 'secondary', disabled: page >= pageCount - 1, onclick: () => { page++; show(); } }, 'Next page'));
    results.replaceChildren(pager, h('table', { id: 'records-table' },
      h('caption', { class: 'muted', style: 'text-align:left' }, 'Records'),
      h('thead', {}, h('tr', {}, ['Partition', 'Offset', 'Timestamp', 'Key', 'Value', 'Headers'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map(r => h('tr', {},
        h('td', { class: 'num' }, r.partition), h('td', { class: 'num' }, r.offset),
        h('td', {}, new Date(r.timestamp).toISOString()),
        h('td', { class: 'key' }, cell(r.key, r.keyBase64, 'text')),
        h('td', { class: 'value' }, cell(r.value, r.valueBase64, view.value)),
        h('td', {}, Object.entries(r.headers || {}).map(([k, v]) => h('div', {}, h('code', {}, `${k}=${v}`)))))))));
    window.tributaryTimings = { ...(window.tributaryTimings || {}), recordsRenderMs: performance.now() - started };
  };
  filter.addEventListener('input', () => { page = 0; if (loaded.length) show(); });
  filterOn.addEventListener('change', () => { page = 0; if (loaded.length) show(); });
  view.addEventListener('change', () => { if (loaded.length) show(); });
  if (query.has('partition') || query.has('from')) await act(status, load, () => browse());
}

/** A key or value: text as text, pretty JSON or hex; binary (base64 from the API) as hex; long ones cut. */
function cell(text, base64, view) {
  if (text === null && base64 === null || text === undefined && base64 === undefined) return h('span', { class: 'muted' }, 'null');
  let shown;
  if (base64 !== null && base64 !== undefined) shown = hex(Uint8Array.from(atob(base64), c => c.charCodeAt(0)));
  else if (view === 'hex') shown = hex(new TextEncoder().encode(text));
  else if (view === 'json') {
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch { shown = text; }
  } else shown = text;
  const binary = base64 !== null && base64 !== undefined;
  if (shown.length <= CUT) return h('pre', { class: 'value' }, binary ? `(binary) ${shown}` : shown);
  return h('details', {}, h('summary', {}, h('code', { class: 'value' }, `${binary ? '(binary) ' : ''}${shown.slice(0, CUT)}…`),
    ` (${number(shown.length)} characters: show all)`), h('pre', { class: 'value' }, shown));
}

function hex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join(' ');
}

function produceForm(name, partitionCount) {
  const key = h('input', { name: 'key', id: 'produce-key' });
  const value = h('textarea', { name: 'value', id: 'produce-value', rows: 3, cols: 50 });
  const headers = h('textarea', { name: 'headers', id: 'produce-headers', rows: 2, cols: 30, placeholder: 'source=console' });
  const partition = h('select', { name: 'partition', id: 'produce-partition' }, h('option', { value: '' }, 'By key (default partitioner)'),
    Array.from({ length: partitionCount }, (_, p) => h('option', { value: p }, `Partition ${p}`)));
  const status = statusLine();
  const submit = h('button', { type: 'submit', id: 'produce-submit' }, 'Produce');
  return h('section', { class: 'panel', 'aria-labelledby': 'produce-h' }, h('h2', { id: 'produce-h' }, 'Produce a record'),
    h('form', { class: 'inline', 'aria-label': 'Produce a record', onsubmit: (event) => {
      event.preventDefault();
      act(status, submit, async () => {
        const record = { key: key.value === '' ? null : key.value, value: value.value, headers: parsePairs(headers.value, 'header') };
        if (partition.value !== '') record.partition = Number(partition.value);
        const answer = await post(`topics/${seg(name)}/records`, { records: [record] });
        const written = answer.offsets[0];
        status.ok(`Produced to partition ${written.partition} at offset ${written.offset}.`);
      });
    } }, field('Key (empty: none)', key), field('Value', value), field('Headers (key=value a line)', headers),
    field('Partition', partition), submit), status);
}
