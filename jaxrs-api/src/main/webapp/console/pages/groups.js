// Consumer groups: state, members and total lag of each (share groups join this page when the API has them).
import { get, seg } from '../api.js';
import { h, number, table } from '../dom.js';

export default async function groups(main) {
  main.append(h('h1', {}, 'Consumer groups'));
  const { groups: list } = await get('groups');
  if (!list.length) {
    main.append(h('p', { class: 'muted' }, 'No consumer group has joined or committed offsets yet.'));
    return;
  }
  const details = await Promise.all(list.map(g => get(`groups/${seg(g.groupId)}`)));
  main.append(table('All groups', ['Group', 'State', 'Protocol', { label: 'Members', num: true }, { label: 'Total lag', num: true }],
    details.map(g => h('tr', {}, h('td', {}, h('a', { href: `#/groups/${seg(g.groupId)}` }, g.groupId)), h('td', {}, g.state),
      h('td', {}, g.protocolType ?? '–'), h('td', { class: 'num' }, g.members.length),
      h('td', { class: 'num' }, number(g.offsets.reduce((sum, o) => sum + (o.lag ?? 0), 0)))))));
}
