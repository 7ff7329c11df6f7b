// The console's shell: login, the user's roles, hash routes (linkable, the back button works) and the pages.
import { ApiError, get, setCredentials, whenUnauthorized } from './api.js';
import { h, field, statusLine } from './dom.js';
import overview from './pages/overview.js';
import topics from './pages/topics.js';
import topic from './pages/topic.js';
import records from './pages/records.js';
import groups from './pages/groups.js';
import group from './pages/group.js';
import security from './pages/security.js';

/** Routes: a pattern over the hash path, and the page that renders it. Add a page here and a link in index.html. */
const ROUTES = [
  [/^\/overview$/, overview],
  [/^\/topics$/, topics],
  [/^\/topics\/([^/]+)$/, topic],
  [/^\/topics\/([^/]+)\/records$/, records],
  [/^\/groups$/, groups],
  [/^\/groups\/([^/]+)$/, group],
  [/^\/security$/, security],
];

const main = document.getElementById('main');
let user = null;
let stopPage = null;

let shown = 0;

/** What a page gets: the user (name, roles, can(role)), the route's parameters and query, and navigation. */
function context(params, query, generation) {
  return {
    user, params: params.map(decodeURIComponent), query,
    go: (hash) => { location.hash = hash; },
    /** A page registers a function to stop its timers when the user leaves it (at once if it already left). */
    onLeave: (stop) => { if (generation === shown) stopPage = stop; else stop(); },
  };
}

async function render() {
  const generation = ++shown;
  if (stopPage) { stopPage(); stopPage = null; }
  if (!user) return showLogin();
  const [path, search] = (location.hash.slice(1) || '/overview').split('?');
  const query = new URLSearchParams(search || '');
  for (const link of document.querySelectorAll('#nav a')) {
    const current = path === link.getAttribute('href').slice(1) || path.startsWith(link.getAttribute('href').slice(1) + '/');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  for (const [pattern, page] of ROUTES) {
    const match = pattern.exec(path);
    if (match) {
      // Each page draws into a container of its own: a page still loading when the user moves on draws into a
      // container no longer shown, never into the next page.
      const view = h('div');
      main.replaceChildren(view);
      main.focus({ preventScroll: true });
      try {
        await page(view, context(match.slice(1), query, generation));
      } catch (error) {
        view.append(h('p', { class: 'error', role: 'alert' }, error.message || String(error)));
      }
      const heading = view.querySelector('h1');
      if (heading && generation === shown) document.title = `${heading.textContent} · Tributary console`;
      return;
    }
  }
  main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, 'No console page at ', h('code', {}, path), '. ',
    h('a', { href: '#/overview' }, 'Go to the overview')));
}

function signedIn(me) {
  user = { ...me, can: (role) => me.roles.includes(role) };
  document.getElementById('insecure-banner').hidden = me.securityEnabled;
  const nav = document.getElementById('nav');
  nav.hidden = false;
  for (const link of nav.querySelectorAll('[data-role]')) link.parentElement.hidden = !user.can(link.dataset.role);
  const who = document.getElementById('who');
  who.replaceChildren(h('span', {}, `${me.name} (${me.roles.map(r => r.replace('tributary-', '')).join(', ') || 'no roles'})`),
    me.securityEnabled ? h('button', { type: 'button', onclick: signOut }, 'Sign out') : null);
  render();
}

function signOut() {
  setCredentials(null);
  user = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('who').replaceChildren();
  render();
}

function showLogin() {
  const name = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = statusLine();
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'stack', 'aria-label': 'Sign in',
    onsubmit: async (event) => {
      event.preventDefault();
      status.clear();
      submit.disabled = true;
      setCredentials(name.value, password.value);
      try {
        signedIn(await get('me'));
      } catch (error) {
        setCredentials(null);
        status.error(error instanceof ApiError && error.status === 401
          ? new Error('Wrong user name or password.') : error);
      } finally {
        submit.disabled = false;
      }
    } }, field('User', name), field('Password', password), submit, status);
  main.replaceChildren(h('div', { class: 'login' }, h('h1', {}, 'Sign in to Tributary'),
    h('p', { class: 'muted' }, 'A user of this broker (see /api/v1/users).'), form));
  document.title = 'Sign in · Tributary console';
  name.focus();
}

whenUnauthorized(() => { if (user) { signOut(); } });
window.addEventListener('hashchange', render);

// A broker running --insecure answers without credentials: no login then.
get('me').then(signedIn, () => showLogin());
