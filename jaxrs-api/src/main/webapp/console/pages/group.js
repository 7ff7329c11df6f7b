// One consumer group: members and assignments, lag per partition with the total, reset offsets with a preview of
// the new positions before applying, delete.
import { del, get, post, seg } from '../api.js';
import { h, act, field, number, statusLine, table } from '../dom.js';
import { confirmByName } from './confirm.js';

export default async function group(main, { params: [id], go }) {
  const g = await get(`groups/${seg(id)}`);
  const totalLag = g.offsets.reduce((sum, o) => sum + (o.lag ?? 0), 0);
  main.append(h('h1', {}, `Group ${g.groupId}`),
    h('p', {}, `State `, h('strong', { id: 'group-state' }, g.state), ` · protocol ${g.protocolType ?? '–'}${g.protocol ? ' / ' + g.protocol : ''}`,
      ` · generation ${g.generation}`, g.leader ? ` · leader ${g.leader}` : ''));

  main.append(h('section', { class: 'panel', 'aria-labelledby': 'members-h' }, h('h2', { id: 'members-h' }, 'Members'),
    g.members.length ? table('Members and their partitions', ['Member', 'Client', 'Host', 'Assigned partitions'],
      g.members.map(m => h('tr', {}, h('td', {}, h('code', {}, m.memberId)), h('td', {}, m.clientId), h('td', {}, m.clientHost),
        h('td', {}, m.assignment.map(a => `${a.topic}-${a.partition}`).join(', ') || '–'))))
      : h('p', { class: 'muted' }, 'No members: the group is empty.')));

  main.append(h('section', { class: 'panel', 'aria-labelledby': 'lag-h' }, h('h2', { id: 'lag-h' }, 'Committed offsets and lag'),
    table(`Total lag ${number(totalLag)}`, ['Topic', 'Partition', { label: 'Committed', num: true }, { label: 'High watermark', num: true },
      { label: 'Lag', num: true }, 'Committed at'],
    g.offsets.map(o => h('tr', { dataset: { topic: o.topic, partition: o.partition } },
      h('td', {}, h('a', { href: `#/topics/${seg(o.topic)}` }, o.topic)), h('td', {}, o.partition),
      h('td', { class: 'num committed' }, number(o.committedOffset)), h('td', { class: 'num' }, number(o.highWatermark)),
      h('td', { class: 'num lag' }, number(o.lag)), h('td', {}, o.committedAt ?? '–'))))
  ));
  main.append(resetForm(g, go), deleteSection(g, go));
}

function resetForm(g, go) {
  const topics = [...new Set(g.offsets.map(o => o.topic))];
  const topic = topics.length
    ? h('select', { name: 'topic', id: 'reset-topic' }, topics.map(t => h('option', { value: t }, t)))
    : h('input', { name: 'topic', id: 'reset-topic', required: true });
  const to = h('select', { name: 'to', id: 'reset-to' }, ['earliest', 'latest', 'timestamp', 'offset'].map(v => h('option', { value: v }, v)));
  const value = h('input', { name: 'value', id: 'reset-value', placeholder: 'for timestamp (ISO or ms) or offset' });
  const partitions = h('input', { name: 'partitions', id: 'reset-partitions', placeholder: 'all' });
  const status = statusLine();
  const preview = h('button', { type: 'submit', id: 'reset-preview' }, 'Preview');
  const apply = h('button', { type: 'button', id: 'reset-apply', class: 'danger', disabled: true }, 'Apply reset');
  const previewArea = h('div', { id: 'reset-preview-table' });
  let previewed = null;
  const body = () => {
    const request = { topic: topic.value.trim(), to: to.value };
    const list = partitions.value.split(',').map(s => s.trim()).filter(Boolean);
    if (list.length) request.partitions = list.map(Number);
    if (to.value === 'offset') request.offset = Number(value.value);
    if (to.value === 'timestamp') request.timestamp = /^\d+$/.test(value.value.trim()) ? Number(value.value) : Date.parse(value.value);
    return request;
  };
  const invalidate = () => { previewed = null; apply.disabled = true; previewArea.replaceChildren(); };
  [topic, to, value, partitions].forEach(control => control.addEventListener('input', invalidate));
  apply.addEventListener('click', () => act(status, apply, async () => {
    await post(`groups/${seg(g.groupId)}/offsets`, previewed);
    go(`#/groups/${seg(g.groupId)}?reset=${Date.now()}`);
  }));
  const form = h('form', { class: 'inline', 'aria-label': 'Reset offsets', onsubmit: (event) => {
    event.preventDefault();
    invalidate();
    act(status, preview, async () => {
      const request = body();
      const answer = await post(`groups/${seg(g.groupId)}/offsets?dryRun=true`, request);
      const current = new Map(g.offsets.map(o => [`${o.topic}-${o.partition}`, o.committedOffset]));
      previewArea.replaceChildren(table('Preview: nothing is changed until you apply', ['Partition', { label: 'Committed now', num: true }, { label: 'After the reset', num: true }],
        answer.offsets.map(o => h('tr', {}, h('td', {}, `${o.topic}-${o.partition}`),
          h('td', { class: 'num' }, number(current.get(`${o.topic}-${o.partition}`))), h('td', { class: 'num new-offset' }, number(o.committedOffset))))));
      previewed = request;
      apply.disabled = g.state !== 'Empty';
      if (g.state !== 'Empty') status.error(new Error('The group has members: stop its consumers before applying a reset.'));
    });
  } }, field('Topic', topic), field('Reset to', to), field('Timestamp or offset', value), field('Partitions (comma-separated)', partitions), preview, apply);
  return h('section', { class: 'panel', 'aria-labelledby': 'reset-h' }, h('h2', { id: 'reset-h' }, 'Reset offsets'),
    h('p', { class: 'muted' }, 'Only an empty group (no running consumers) can be reset. Preview first, then apply.'), form, status, previewArea);
}

function deleteSection(g, go) {
  const status = statusLine();
  const remove = h('button', { type: 'button', class: 'danger', id: 'delete-group', onclick: async () => {
    if (!await confirmByName('Delete group', g.groupId, 'This removes the group and its committed offsets.')) return;
    act(status, remove, async () => { await del(`groups/${seg(g.groupId)}`); go('#/groups'); });
  } }, 'Delete group');
  return h('section', { class: 'panel', 'aria-labelledby': 'gdel-h' }, h('h2', { id: 'gdel-h' }, 'Delete'), remove, status);
}
