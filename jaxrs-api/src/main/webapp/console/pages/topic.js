// One topic: partitions (leader, replicas, ISR, offsets), configs (defaults vs overrides), its consumer groups with
// lag, and for admins: add partitions, edit configs, delete (with a confirmation naming the topic).
import { del, get, patch, post, seg } from '../api.js';
import { h, act, bytes, field, number, statusLine, table } from '../dom.js';
import { confirmByName } from './confirm.js';

export default async function topic(main, { user, params: [name], go }) {
  const details = await get(`topics/${seg(name)}`);
  main.append(h('h1', {}, `Topic ${details.name}`),
    h('p', {}, h('a', { href: `#/topics/${seg(name)}/records` }, 'Browse records'),
      ` · id `, h('code', {}, details.topicId), ` · created ${details.createdAt} · `,
      h('span', { id: 'topic-size' }, `${bytes(details.sizeBytes)} on disk on this broker`)));

  main.append(h('section', { class: 'panel', 'aria-labelledby': 'parts-h' }, h('h2', { id: 'parts-h' }, 'Partitions'),
    table(`${details.partitionCount} partitions, replication factor ${details.replicationFactor}`,
      ['Partition', 'Leader', 'Replicas', 'In sync', { label: 'Start offset', num: true }, { label: 'End offset', num: true },
        { label: 'High watermark', num: true }, { label: 'Records', num: true }, { label: 'Size', num: true }, 'State'],
      details.partitions.map(p => h('tr', {},
        h('td', {}, h('a', { href: `#/topics/${seg(name)}/records?partition=${p.partition}` }, p.partition)),
        h('td', {}, p.leader), h('td', {}, p.replicas.join(', ')), h('td', {}, p.isr.join(', ')),
        h('td', { class: 'num' }, number(p.logStartOffset)), h('td', { class: 'num' }, number(p.logEndOffset)),
        h('td', { class: 'num' }, number(p.highWatermark)), h('td', { class: 'num' }, number(p.highWatermark - p.logStartOffset)),
        h('td', { class: 'num' }, p.sizeBytes < 0 ? 'not here' : bytes(p.sizeBytes)),
        h('td', {}, p.offlineReason ? h('span', { class: 'error' }, p.offlineReason) : 'online'))))));

  if ((details.configs['cleanup.policy'] ?? '').includes('compact')) main.append(cleanerSection(details));

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

/** What the log cleaner says of each partition of a compacted topic that this broker holds a replica of. */
function cleanerSection(details) {
  const held = details.partitions.filter(p => p.sizeBytes >= 0);
  const section = h('section', { class: 'panel', 'aria-labelledby': 'cleaner-h' }, h('h2', { id: 'cleaner-h' }, 'Log cleaner'),
    h('p', { class: 'muted' }, `Compaction keeps the latest record of each key; a partition is cleaned once its dirty share passes`
      + ` min.cleanable.dirty.ratio (${details.configs['min.cleanable.dirty.ratio'] ?? 'default'}).`));
  if (!held.length) {
    section.append(h('p', { class: 'muted' }, 'This broker holds no replica of this topic: the brokers that do know its cleaner state.'));
    return section;
  }
  section.append(table('The cleaner on this broker\'s replicas', ['Partition', 'State', { label: 'Dirty', num: true },
    { label: 'First dirty offset', num: true }, 'Last cleaned', 'Reason'],
  held.map(p => h('tr', { dataset: { partition: p.partition } }, h('td', {}, p.partition), ...cleanerCells(p.cleaner)))));
  return section;
}

function cleanerCells(cleaner) {
  if (!cleaner) return [h('td', { class: 'cleaner-state', colspan: 5 }, 'not known to the cleaner yet')];
  return [h('td', { class: 'cleaner-state' }, cleaner.failed ? h('strong', { class: 'error' }, cleaner.state) : cleaner.state),
    h('td', { class: 'num' }, `${(cleaner.dirtyRatio * 100).toFixed(1)} %`),
    h('td', { class: 'num' }, number(cleaner.firstDirtyOffset)),
    h('td', {}, cleaner.lastCleanedAt ?? 'not since the broker started'),
    h('td', {}, cleaner.reason ?? '')];
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
