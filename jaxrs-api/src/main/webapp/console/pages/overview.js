// Overview: brokers, partition health, live produce/fetch rates and disk use of every broker (polling
// /stats/brokers), rebalance.
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
  const brokersBody = h('tbody');
  main.append(h('section', { class: 'panel', 'aria-labelledby': 'brokers-stats-h' },
    h('h2', { id: 'brokers-stats-h' }, 'Every broker: traffic and disk'),
    h('table', { id: 'broker-stats' }, h('caption', { class: 'muted', style: 'text-align:left' },
      'Rates over the last two samples; a broker that is down or does not answer is shown as unreachable'),
    h('thead', {}, h('tr', {}, BROKER_COLUMNS.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    brokersBody)));

  const history = Object.fromEntries(SERIES.map(([key]) => [key, []]));
  const previous = new Map(); // broker id -> its last stats, for its rates
  let polling = false;
  const poll = async () => {
    if (polling) return; // a broker that does not answer holds a poll for up to two seconds
    polling = true;
    try {
      const cluster = await get('stats/brokers');
      const local = cluster.brokers.find(b => b.local);
      const before = previous.get(local.id);
      if (before) {
        const seconds = Math.max(0.001, (local.stats.at - before.at) / 1000);
        for (const [key] of SERIES) {
          history[key].push(Math.max(0, (local.stats[key] - before[key]) / seconds));
          if (history[key].length > HISTORY) history[key].shift();
        }
      }
      brokersBody.replaceChildren(...cluster.brokers.map(b => brokerRow(b, previous.get(b.id))));
      for (const b of cluster.brokers) {
        if (b.reachable) previous.set(b.id, b.stats);
        else previous.delete(b.id);
      }
      ratesStatus.clear();
      rates.replaceChildren(...localCards(local.stats, history));
    } catch (error) {
      ratesStatus.error(error);
    } finally {
      polling = false;
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

const BROKER_COLUMNS = [
  { label: 'Broker' }, { label: 'State' }, { label: 'Produced / s', num: true }, { label: 'Fetched / s', num: true },
  { label: 'Records stored (log segments)', num: true }, { label: 'Disk free', num: true }, { label: 'Disk size', num: true },
];

/** One broker's row: its rates since its previous sample (none yet at the first), its disk; or why it is unreachable. */
function brokerRow(broker, before) {
  const id = h('td', {}, broker.local ? `${broker.id} (this broker)` : broker.id);
  if (!broker.reachable) {
    return h('tr', { dataset: { broker: broker.id } }, id,
      h('td', { colspan: BROKER_COLUMNS.length - 1 }, h('strong', { class: 'error' }, 'unreachable: '), broker.problem));
  }
  const stats = broker.stats;
  const rate = (key) => {
    if (!before || stats.at <= before.at) return '–';
    return bytes(Math.round(Math.max(0, stats[key] - before[key]) * 1000 / (stats.at - before.at)));
  };
  return h('tr', { dataset: { broker: broker.id } }, id, h('td', {}, broker.alive ? 'alive' : 'down'),
    h('td', { class: 'num' }, rate('bytesIn')), h('td', { class: 'num' }, rate('bytesOut')),
    h('td', { class: 'num', dataset: { metric: 'logBytes' } }, bytes(stats.logBytes)),
    h('td', { class: 'num', dataset: { metric: 'diskUsableBytes' } }, bytes(stats.diskUsableBytes)),
    h('td', { class: 'num' }, bytes(stats.diskTotalBytes)));
}

/** The charts of this broker's rates and the cards of its disk. */
function localCards(stats, history) {
  return [...SERIES.map(([key, label, format]) => {
    const last = history[key].length ? history[key][history[key].length - 1] : 0;
    return h('div', { class: 'card' }, h('div', { class: 'muted' }, label),
      h('div', { class: 'value', dataset: { metric: key } }, format(Math.round(last))),
      sparkline(history[key], `${label}, last ${history[key].length} samples`));
  }), h('div', { class: 'card' }, h('div', { class: 'muted' }, 'Records stored (log segments)'),
    h('div', { class: 'value', id: 'log-bytes' }, bytes(stats.logBytes))),
  h('div', { class: 'card' }, h('div', { class: 'muted' }, 'Disk free (data volume)'),
    h('div', { class: 'value', id: 'disk-free' }, bytes(stats.diskUsableBytes)),
    h('div', { class: 'muted' }, `of ${bytes(stats.diskTotalBytes)}`))];
}

function card(label, value) {
  return h('div', { class: 'card' }, h('div', { class: 'muted' }, label), h('div', { class: 'value' }, number(value)));
}
