// One topic: partitions (leader, replicas, ISR, offsets), configs (defaults vs overrides), its consumer groups with
// lag, and for admins: add partitions, edit configs, delete (with a confirmation naming the topic).
import { del, get, patch, post, seg } from '../api.js';
import { h, act, field, number, statusLine, table } from '../dom.js';
import { confirmByName } from './confirm.js';

export default async function topic(main, { user, params: [name], go }) {
  const details = await get(`topics/${seg(name)}`);
  main.append(h('h1', {}, `Topic ${details.name}`),
    h('p', {}, h('a', { href: `#/topics/${seg(name)}/records` }, 'Browse records'),
      ` · id `, h('code', {}, details.topicId), ` · created ${details.createdAt}`));

  main.append(h('section', { class: 'panel', 'aria-labelledby': 'parts-h' }, h('h2', { id: 'parts-h' }, 'Partitions'),
    table(`${details.partitionCount} partitions, replication factor ${details.replicationFactor}`,
      ['Partition', 'Leader', 'Replicas', 'In sync', { label: 'Start offset', num: true }, { label: 'End offset', num: true },
        { label: 'High watermark', num: true }, { label: 'Records', num: true }, 'State'],
      details.partitions.map(p => h('tr', {},
        h('td', {}, h('a', { href: `#/topics/${seg(name)}/records?partition=${p.partition}` }, p.partition)),
        h('td', {}, p.leader), h('td', {}, p.replicas.join(', ')), h('td', {}, p.isr.join(', ')),
        h('td', { class: 'num' }, number(p.logStartOffset)), h('td', { class: 'num' }, number(p.logEndOffset)),
        h('td', { class: 'num' }, number(p.highWatermark)), h('td', { class: 'num' }, number(p.highWatermark - p.logStartOffset)),
        h('td', {}, p.offlineReason ? h('span', { class: 'error' }, p.offlineReason) : 'online'))))));

  const overrides = details.configOverrides;
  main.append(h('section', { class: 'panel', 'aria-labelledby': 'configs-h' }, h('h2', { id: 'configs-h' }, 'Configs'),
    user.can('tributary-admin') ? configForm(name, go) : null,
    table('Effective configs; "override" marks those set on this topic', ['Config', 'Value', 'Source'],
      Object.entries(details.configs).map(([key, value]) => h('tr', {}, h('td', {}, h('code', {}, key)),
        h('td', {}, h('code', {}, value)),
        h('td', {}, key in overrides ? h('span', { class: 'tag' }, 'override') : h('span', { class: 'muted' }, 'default')))))));

  if (user.can('tributary-admin')) {
    main.append(groupsOfTopic(name), adminActions(details, go));
  }
}

/** The section at once; its table when every group has been looked at (one call per group). */
function groupsOfTopic(name) {
  const section = h('section', { class: 'panel', 'aria-labelledby': 'tgroups-h', 'aria-busy': 'true' }, h('h2', { id: 'tgroups-h' }, 'Consumer groups'));
  const status = statusLine();
  section.append(status);
  act(status, null, async () => {
    const { groups } = await get('groups');
    const rows = [];
    for (const summary of groups) {
      const group = await get(`groups/${seg(summary.groupId)}`);
      const offsets = group.offsets.filter(o => o.topic === name);
      if (!offsets.length) continue;
      const lag = offsets.reduce((sum, o) => sum + (o.lag ?? 0), 0);
      rows.push(h('tr', {}, h('td', {}, h('a', { href: `#/groups/${seg(group.groupId)}` }, group.groupId)),
        h('td', {}, group.state), h('td', { class: 'num' }, offsets.length), h('td', { class: 'num' }, number(lag))));
    }
    section.append(rows.length ? table('Groups with offsets committed on this topic',
      ['Group', 'State', { label: 'Partitions', num: true }, { label: 'Total lag', num: true }], rows)
      : h('p', { class: 'muted' }, 'No group has committed offsets on this topic.'));
  }).finally(() => section.removeAttribute('aria-busy'));
  return section;
}

function configForm(name, go) {
  const key = h('input', { name: 'configKey', required: true, placeholder: 'retention.ms' });
  const value = h('input', { name: 'configValue', placeholder: 'empty: back to the default' });
  const status = statusLine();
  const submit = h('button', { type: 'submit' }, 'Set config');
  return h('div', {}, h('form', { class: 'inline', 'aria-label': 'Set a config', onsubmit: (event) => {
    event.preventDefault();
    act(status, submit, async () => {
      await patch(`topics/${seg(name)}/configs`, { [key.value.trim()]: value.value === '' ? null : value.value });
      go(`#/topics/${seg(name)}?updated=${Date.now()}`);
    });
  } }, field('Config', key), field('Value (empty restores the default)', value), submit), status);
}

function adminActions(details, go) {
  const count = h('input', { name: 'count', type: 'number', min: details.partitionCount + 1, value: details.partitionCount + 1, required: true });
  const growStatus = statusLine();
  const grow = h('button', { type: 'submit' }, 'Add partitions');
  const deleteStatus = statusLine();
  const remove = h('button', { type: 'button', class: 'danger', id: 'delete-topic', onclick: async () => {
    if (!await confirmByName('Delete topic', details.name, 'This removes the topic and all its records.')) return;
    act(deleteStatus, remove, async () => {
      await del(`topics/${seg(details.name)}`);
      go('#/topics');
    });
  } }, 'Delete topic');
  return h('section', { class: 'panel', 'aria-labelledby': 'admin-h' }, h('h2', { id: 'admin-h' }, 'Administration'),
    h('form', { class: 'inline', 'aria-label': 'Add partitions', onsubmit: (event) => {
      event.preventDefault();
      act(growStatus, grow, async () => {
        await post(`topics/${seg(details.name)}/partitions`, { count: Number(count.value) });
        go(`#/topics/${seg(details.name)}?grown=${count.value}`);
      });
    } }, field('Partitions in all', count), grow), growStatus,
    h('p', {}, remove), deleteStatus);
}
