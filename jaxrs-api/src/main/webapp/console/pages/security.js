// Security (admins): users and their roles; the Kafka listener's ACLs (list, add, remove).
import { del, get, post, put, seg } from '../api.js';
import { h, act, field, statusLine, table } from '../dom.js';
import { confirmByName } from './confirm.js';

const ROLES = ['tributary-admin', 'tributary-producer', 'tributary-consumer'];
const OPERATIONS = ['ALL', 'READ', 'WRITE', 'CREATE', 'DELETE', 'DESCRIBE', 'ALTER', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE'];

export default async function security(main, { go }) {
  main.append(h('h1', {}, 'Security'));
  const [{ users }, { acls }] = await Promise.all([get('users'), get('acls')]);
  const reload = () => go(`#/security?at=${Date.now()}`);

  const userStatus = statusLine();
  main.append(h('section', { class: 'panel', 'aria-labelledby': 'users-h' }, h('h2', { id: 'users-h' }, 'Users'),
    table('Users of the REST API and the Kafka listener', ['User', 'Roles', ''],
      users.map(u => {
        const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete user ${u.name}`, onclick: async () => {
          if (!await confirmByName('Delete user', u.name, 'The user can no longer log in, over REST or Kafka.')) return;
          act(userStatus, remove, async () => { await del(`users/${seg(u.name)}`); reload(); });
        } }, 'Delete');
        return h('tr', {}, h('td', {}, u.name), h('td', {}, u.roles.join(', ') || '–'), h('td', {}, remove));
      })), userStatus, userForm(reload)));

  const aclStatus = statusLine();
  main.append(h('section', { class: 'panel', 'aria-labelledby': 'acls-h' }, h('h2', { id: 'acls-h' }, 'ACLs of the Kafka listener'),
    acls.length ? table('ACL bindings', ['Principal', 'Resource', 'Pattern', 'Host', 'Operation', 'Permission', ''],
      acls.map(a => {
        const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Remove ACLs of ${a.principal} on ${a.resourceType} ${a.resourceName}`,
          onclick: () => {
            if (!window.confirm(`Remove every binding of ${a.principal} on ${a.resourceType} ${a.resourceName}?`)) return;
            act(aclStatus, remove, async () => {
              await del(`acls?${new URLSearchParams({ principal: a.principal, resourceType: a.resourceType, resourceName: a.resourceName })}`);
              reload();
            });
          } }, 'Remove');
        return h('tr', {}, h('td', {}, a.principal), h('td', {}, `${a.resourceType} ${a.resourceName}`), h('td', {}, a.patternType),
          h('td', {}, a.host), h('td', {}, a.operation), h('td', {}, a.permission), h('td', {}, remove));
      })) : h('p', { class: 'muted' }, 'No ACL bindings.'), aclStatus, aclForm(reload)));
}

function userForm(reload) {
  const name = h('input', { name: 'userName', required: true, autocomplete: 'off' });
  const password = h('input', { name: 'userPassword', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' });
  const roles = ROLES.map(role => h('input', { type: 'checkbox', name: 'role', value: role }));
  const status = statusLine();
  const submit = h('button', { type: 'submit' }, 'Save user');
  return h('form', { class: 'inline', 'aria-label': 'Create or replace a user', onsubmit: (event) => {
    event.preventDefault();
    act(status, submit, async () => {
      await put(`users/${seg(name.value.trim())}`, { password: password.value, roles: roles.filter(r => r.checked).map(r => r.value) });
      reload();
    });
  } }, field('User', name), field('Password (at least 8 characters)', password),
  h('fieldset', {}, h('legend', {}, 'Roles'), roles.map(r => h('label', { style: 'flex-direction:row;gap:4px' }, r, r.value))),
  submit, status);
}

function aclForm(reload) {
  const select = (name, values) => h('select', { name }, values.map(v => h('option', { value: v }, v)));
  const principal = h('input', { name: 'principal', required: true, placeholder: 'User:alice' });
  const resourceType = select('resourceType', ['TOPIC', 'GROUP', 'CLUSTER']);
  const resourceName = h('input', { name: 'resourceName', required: true, placeholder: 'orders' });
  const patternType = select('patternType', ['LITERAL', 'PREFIXED']);
  const operation = select('operation', OPERATIONS);
  const permission = select('permission', ['ALLOW', 'DENY']);
  const host = h('input', { name: 'host', value: '*' });
  const status = statusLine();
  const submit = h('button', { type: 'submit' }, 'Add ACL');
  return h('form', { class: 'inline', 'aria-label': 'Add an ACL', onsubmit: (event) => {
    event.preventDefault();
    act(status, submit, async () => {
      await post('acls', { principal: principal.value.trim(), resourceType: resourceType.value, resourceName: resourceName.value.trim(),
        patternType: patternType.value, operation: operation.value, permission: permission.value, host: host.value.trim() || '*' });
      reload();
    });
  } }, field('Principal', principal), field('Resource type', resourceType), field('Resource name', resourceName),
  field('Pattern', patternType), field('Operation', operation), field('Permission', permission), field('Host', host), submit, status);
}
