// Overview: brokers, partition health, live produce/fetch rates (polling /stats), disk use, rebalance.
import { get, post } from '../api.js';
import { h, act, bytes, number, statusLine, table } from '../dom.js';
import { sparkline } from '../sparkline.js';

const POLL_MS = 2000;
const HISTORY = 60;
const SERIES = [
  ['recordsIn', 'Records produced / s', number],
  ['bytesIn', 'Bytes produced / s', bytes],
  ['recordsOut', 'Records fetched / s', number],
  ['bytesOut', 'Bytes fetched / s', bytes],
];

export default async function overview(main, { user, onLeave }) {
  main.append(h('h1', {}, 'Overview'));
  const rates = h('div', { class: 'cards', id: 'rates' });
  const ratesStatus = statusLine();
  main.append(h('section', { class: 'panel', 'aria-labelledby': 'rates-h' },
    h('h2', { id: 'rates-h' }, 'Traffic on this broker'), rates, ratesStatus));

  const history = Object.fromEntries(SERIES.map(([key]) => [key, []]));
  let previous = null;
  const poll = async () => {
    try {
      const stats = await get('stats');
      if (previous) {
        const seconds = Math.max(0.001, (stats.at - previous.at) / 1000);
        for (const [key] of SERIES) {
          history[key].push(Math.max(0, (stats[key] - previous[key]) / seconds));
          if (history[key].length > HISTORY) history[key].shift();
        }
      }
      previous = stats;
      ratesStatus.clear();
      rates.replaceChildren(...SERIES.map(([key, label, format]) => {
        const last = history[key].length ? history[key][history[key].length - 1] : 0;
        return h('div', { class: 'card' }, h('div', { class: 'muted' }, label),
          h('div', { class: 'value', dataset: { metric: key } }, format(Math.round(last))),
          sparkline(history[key], `${label}, last ${history[key].length} samples`));
      }), h('div', { class: 'card' }, h('div', { class: 'muted' }, 'Records stored (log segments)'),
        h('div', { class: 'value', id: 'log-bytes' }, bytes(stats.logBytes))),
      h('div', { class: 'card' }, h('div', { class: 'muted' }, 'Disk free (data volume)'),
        h('div', { class: 'value', id: 'disk-free' }, bytes(stats.diskUsableBytes)),
        h('div', { class: 'muted' }, `of ${bytes(stats.diskTotalBytes)}`)));
    } catch (error) {
      ratesStatus.error(error);
    }
  };
  const timer = setInterval(poll, POLL_MS);
  onLeave(() => clearInterval(timer));
  await poll();

  if (!user.can('tributary-admin')) {
    main.append(h('p', { class: 'muted' }, 'Brokers and partition health need the tributary-admin role.'));
    return;
  }
  const clusterSection = h('section', { class: 'panel', 'aria-labelledby': 'cluster-h' }, h('h2', { id: 'cluster-h' }, 'Cluster'));
  main.append(clusterSection);
  const cluster = await get('cluster');
  const counts = cluster.partitions;
  clusterSection.append(
    h('p', {}, `Cluster id `, h('code', {}, cluster.clusterId ?? '–'), `; controller: broker ${cluster.controllerId ?? 'none'}`),
    h('div', { class: 'cards' },
      card('Partitions', counts.total), card('Under-replicated', counts.underReplicated), card('Offline', counts.offline)),
    table('Brokers', ['Id', 'Kafka address', 'REST URL', 'Alive', 'Controller'],
      cluster.brokers.map(b => h('tr', {}, h('td', {}, b.id), h('td', {}, b.kafkaAddress ?? '–'), h('td', {}, b.httpUrl ?? '–'),
        h('td', {}, b.alive ? 'yes' : h('strong', { class: 'error' }, 'no')), h('td', {}, b.controller ? 'yes' : '')))));

  const status = statusLine();
  const rebalance = h('button', { type: 'button', onclick: () => act(status, rebalance, async () => {
    const result = await post('cluster/rebalance');
    status.ok(`Moved ${result.movedLeaders} partition leader(s) back to their preferred replicas.`);
  }) }, 'Rebalance leaders');
  main.append(h('section', { class: 'panel', 'aria-labelledby': 'actions-h' }, h('h2', { id: 'actions-h' }, 'Cluster actions'),
    h('p', { class: 'muted' }, 'Moves each partition\'s leadership back to its preferred replica where that one is alive and in sync.'),
    rebalance, status));
}

function card(label, value) {
  return h('div', { class: 'card' }, h('div', { class: 'muted' }, label), h('div', { class: 'value' }, number(value)));
}
