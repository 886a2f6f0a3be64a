// Otklik customer portal and agent console: one static ES module app per tenant page (/t/<id>/).
// No build step. Talks only to /api/v1 (REST) and /api/v1/stream (WebSocket).
import { STRINGS } from './i18n.js';
import { Live } from './live.js';

const tenant = document.body.dataset.tenant;
const SESSION_KEY = `otklik.session:/t/${tenant}/`;   // sessionStorage, scoped per tenant path
const LANG_KEY = `otklik.lang:/t/${tenant}/`;
const API = `/api/v1/tenants/${encodeURIComponent(tenant)}`;
const STAFF = new Set(['agent', 'coordinator', 'tenant_admin']);

let flash = null;        // a one-time message for the next page
let lang = pickLang();
let T = STRINGS[lang];
let view = null;          // the tenant's public view
let session = loadSession();
let live = null;
let onLive = null;        // the current page's live-event handler
let users = null;         // staff: the tenant's people, for assignee names

function pickLang() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  const l = fromUrl || localStorage.getItem(LANG_KEY) || document.body.dataset.defaultLang || 'ru';
  return STRINGS[l] ? l : 'ru';
}

// ---------- session: never send a token of another tenant ----------
function tokenTenant(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part)).tid;
  } catch (e) {
    return null;
  }
}
function loadSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    if (s && tokenTenant(s.accessToken) !== tenant) {
      sessionStorage.removeItem(SESSION_KEY);
      flash = T_().wrongTenant;
      return null;
    }
    return s;
  } catch (e) {
    return null;
  }
}
function T_() { return STRINGS[pickLang()]; }
function saveSession(s) {
  session = s;
  if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s)); else sessionStorage.removeItem(SESSION_KEY);
}
const isStaff = () => !!session && STAFF.has(session.me?.role);
const isAdmin = () => !!session && ['tenant_admin', 'coordinator'].includes(session.me?.role);

// ---------- DOM helpers (no innerHTML with data) ----------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}
// replaceChildren without the null and false placeholders of conditional parts
function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : String(c))));
  return el;
}
const tx = (o) => (o && typeof o === 'object') ? (o[lang] || o.ru || o.en || '') : (o ?? '');
const main = () => document.getElementById('main');
function say(msg) { const l = document.getElementById('live'); l.textContent = ''; setTimeout(() => { l.textContent = msg; }, 30); }
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}
function fmt(iso, dateOnly) {
  if (!iso) return '—';
  const tz = view?.calendar?.timeZone || undefined;
  const opts = dateOnly ? { dateStyle: 'medium' } : { dateStyle: 'short', timeStyle: 'short' };
  const d = dateOnly && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(iso + 'T12:00:00Z') : new Date(iso);
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { ...opts, timeZone: dateOnly ? 'UTC' : tz }).format(d);
}
function duration(d) {
  if (!d) return '—';
  const units = {
    ru: { 'working-hours': 'раб. ч', 'working-minutes': 'раб. мин', 'working-days': 'раб. дн.', 'clock-hours': 'ч',
      'clock-minutes': 'мин', 'calendar-days': 'кал. дн.', months: 'мес.', years: 'г.' },
    en: { 'working-hours': 'working hours', 'working-minutes': 'working minutes', 'working-days': 'working days',
      'clock-hours': 'hours', 'clock-minutes': 'minutes', 'calendar-days': 'calendar days', months: 'months', years: 'years' },
  }[lang];
  const m = /^(\d+(?:\.\d+)?) ([a-z-]+)$/.exec(d);
  if (m && units[m[2]]) return `${m[1]} ${units[m[2]]}`;
  if (d === 'by-agreement') return T.byAgreement;
  return d.replace(/-/g, ' ');
}
function hms(sec) {
  const s = Math.abs(Math.round(sec));
  const hh = Math.floor(s / 3600); const mm = Math.floor((s % 3600) / 60);
  return hh >= 24 ? `${Math.floor(hh / 24)}${lang === 'ru' ? 'д' : 'd'} ${hh % 24}${lang === 'ru' ? 'ч' : 'h'}` : `${hh}:${String(mm).padStart(2, '0')}`;
}
const statusName = (s) => (T.statusNames[s] || s || '—');
const statusBadge = (s) => h('span', { class: 'status', 'data-status': s }, statusName(s));
function taxName(list, id) {
  const item = (view?.taxonomy?.[list] || []).find((x) => x.id === id);
  return item ? tx(item.name) : (id || '—');
}
function targetLabel(d) {
  const sla = view?.sla || {};
  const all = [...(sla.commonTargets || []), ...(sla.cells || []).flatMap((c) => c.targets || [])];
  const t = all.find((x) => x.id === d.target && x.duration === d.duration) || all.find((x) => x.id === d.target);
  return t?.label ? tx(t.label) : d.target;
}
function serviceName(id) {
  const find = (items) => { for (const i of items || []) { if (i.id === id) return i; const c = find(i.children); if (c) return c; } return null; };
  const s = find(view?.catalogue);
  return s ? tx(s.name) : (id || '—');
}

// ---------- REST ----------
class ApiError extends Error {
  constructor(status, problem) { super(problem?.detail || problem?.title || `HTTP ${status}`); this.status = status; this.problem = problem; }
}
async function api(path, { method = 'GET', body, headers = {}, raw, anonymous } = {}, retried) {
  const h2 = { 'Accept-Language': lang, ...headers };
  if (session && !anonymous) {
    if (tokenTenant(session.accessToken) !== tenant) { saveSession(null); throw new ApiError(403, { code: 'auth.wrong-tenant' }); }
    h2.Authorization = `Bearer ${session.accessToken}`;
  }
  let payload = body;
  if (body !== undefined && !raw) { h2['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  const res = await fetch(API + path, { method, headers: h2, body: payload });
  if (res.status === 401 && session && !retried && !anonymous && await refresh()) return api(path, { method, body, headers, raw }, true);
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : (raw === 'blob' ? await res.blob() : await res.text());
  if (!res.ok) {
    if (res.status === 403 && data?.code === 'auth.wrong-tenant') { saveSession(null); flash = T.wrongTenant; go('#/signin'); }
    if (res.status === 401 && !anonymous) { saveSession(null); go('#/signin'); }
    // the desk now requires a second factor, or no longer takes passwords: sign in again
    if (res.status === 403 && !anonymous && ['auth.two-factor-required', 'auth.password-disabled'].includes(data?.code)) {
      saveSession(null); flash = data.detail; go('#/signin');
    }
    throw new ApiError(res.status, typeof data === 'object' ? data : { detail: data });
  }
  return { data, etag: res.headers.get('ETag'), status: res.status };
}
async function refresh() {
  try {
    const r = await fetch(`${API}/auth/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }) });
    if (!r.ok) return false;
    const t = await r.json();
    saveSession({ ...session, accessToken: t.accessToken, refreshToken: t.refreshToken });
    return true;
  } catch (e) {
    return false;
  }
}

// ---------- shell ----------
function applyBranding() {
  const b = view.branding || {};
  const root = document.documentElement.style;
  if (b.primaryColor) { root.setProperty('--primary', b.primaryColor); root.setProperty('--on-primary', contrastText(b.primaryColor)); }
  if (b.accentColor) root.setProperty('--accent', b.accentColor);
  const logo = document.getElementById('logo');
  if (b.logoUrl) { logo.src = b.logoUrl; logo.alt = `${tx(view.identity.name)} logo`; } else logo.hidden = true;
  document.getElementById('brand-name').textContent = tx(view.identity.name);
  document.getElementById('brand-vendor').textContent = tx(view.identity.vendor);
  document.title = `${tx(view.identity.name)} — ${T.home}`;
}
function contrastText(hex) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex); if (!m) return '#fff';
  const n = parseInt(m[1], 16); const c = [n >> 16, (n >> 8) & 255, n & 255].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  const L = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  return L > 0.35 ? '#111' : '#fff';
}
function renderShell(route) {
  document.documentElement.lang = lang;
  document.getElementById('skip').textContent = T.skip;
  const langBtn = document.getElementById('lang');
  langBtn.textContent = T.lang; langBtn.setAttribute('aria-label', T.langLabel); langBtn.lang = lang === 'ru' ? 'en' : 'ru';
  const out = document.getElementById('signout');
  out.hidden = !session; out.textContent = T.signOut;
  document.getElementById('who').textContent = session ? `${session.me?.displayName || ''}` : '';
  const links = [['#/', T.home], ['#/catalogue', T.catalogue], ['#/library', T.library]];
  if (!session) links.push(['#/signin', T.signIn]);
  else if (isStaff()) { links.push(['#/queue', T.queue]); if (isAdmin()) links.push(['#/notice', T.notice], ['#/admin', T.admin]); }
  else links.push(['#/requests', T.requests], ['#/new', T.newRequest]);
  if (session) links.push(['#/security', T.security]);
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', lang === 'ru' ? 'Разделы' : 'Sections');
  fill(nav, ...links.map(([href, label]) => h('a', { href, 'aria-current': route === href ? 'page' : null, 'data-nav': href.slice(2) || 'home' }, label)));
  const foot = document.getElementById('footer');
  const phone = (view.channels || []).find((c) => c.type === 'phone');
  const mail = (view.channels || []).find((c) => c.type === 'email');
  fill(foot, h('span', {}, `${tx(view.identity.vendor)}`, phone ? ` · ${phone.address}` : '', mail ? ` · ${mail.address}` : ''),
    h('span', { class: 'live-state', id: 'live-state' }));
  updateLiveState();
}
function updateLiveState() {
  const el = document.getElementById('live-state'); if (!el) return;
  if (!live) { fill(el, ); return; }
  fill(el, ' · ', h('span', { class: `live-dot ${live.connected ? 'on' : ''}`, 'aria-hidden': 'true' }), live.connected ? T.live : T.offline);
  el.dataset.connected = live.connected ? 'true' : 'false';
}
function go(hash) { if (location.hash !== hash) location.hash = hash; else render(); }

function signedOutHere(message) {
  saveSession(null); users = null; if (live) live.close(); live = null;
  if (message) flash = message;
  go('#/signin');
}

function startLive() {
  if (live) live.close();
  live = null;
  if (!session) return;
  live = new Live({
    token: () => session?.accessToken,
    refresh,
    subscriptions: isStaff() ? [{ scope: 'queue' }] : [{ scope: 'mine' }],
    onEvent: (ev) => { if (onLive) onLive(ev); },
    onState: updateLiveState,
    onRevoked: () => signedOutHere(T.sessionEnded),
  });
  live.connect();
}

// ---------- pages ----------
const routes = [
  [/^#?\/?$/, pageHome], [/^#\/signin$/, pageSignIn], [/^#\/catalogue$/, pageCatalogue], [/^#\/library$/, pageLibrary],
  [/^#\/requests$/, pageRequests], [/^#\/new$/, pageNew], [/^#\/requests\/([A-Za-z0-9-]+)$/, pageRequest],
  [/^#\/queue$/, pageQueue], [/^#\/notice$/, pageNotice], [/^#\/admin$/, pageAdmin],
  [/^#\/forgot$/, pageForgot], [/^#\/reset\/([A-Za-z0-9_-]+)$/, pageReset],
  [/^#\/survey\/([A-Za-z0-9_.-]+)$/, pageSurvey], [/^#\/security$/, pageSecurity],
  [/^#\/sso\/([A-Za-z0-9_-]+)(?:\?next=(\/[A-Za-z0-9\/_.~-]*))?$/, pageSso], [/^#\/sso-error\/([a-z0-9.-]+)$/, pageSsoError],
];
async function render() {
  const hash = location.hash || '#/';
  onLive = null;
  clearInterval(render.timer);
  renderShell(hash.startsWith('#/requests/') ? (isStaff() ? '#/queue' : '#/requests') : hash);
  for (const [re, page] of routes) {
    const m = re.exec(hash);
    if (m) {
      const el = main();
      fill(el, h('p', { class: 'muted' }, '…'));
      try {
        await page(el, ...m.slice(1));
      } catch (e) {
        fill(el, h('p', { class: 'error', role: 'alert' }, e.message));
      }
      if (render.focusMain) el.focus();
      render.focusMain = true;
      return;
    }
  }
  fill(main(), h('p', {}, '404'));
}

function needSession(el) {
  if (session) return false;
  fill(el, h('h1', {}, T.signIn), flash ? h('p', { class: 'error', role: 'alert', id: 'flash' }, flash) : null,
    h('p', {}, T.signInToSee, ' ', h('a', { href: '#/signin' }, T.signIn)));
  flash = null;
  return true;
}

function hoursTable() {
  const cal = view.calendar || {};
  if (cal.alwaysOpen) return h('p', {}, T.alwaysOpen);
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return h('table', { class: 'hours' }, h('caption', { class: 'sr-only' }, T.hours),
    h('tbody', {}, days.map((d) => h('tr', {}, h('th', { scope: 'row' }, T.days[d]),
      h('td', {}, (cal.weeklyHours?.[d] || []).join(', ') || T.dayOff)))));
}
function channelLink(c) {
  if (c.type === 'phone' || c.type === 'hotline') return h('a', { href: `tel:${c.address.replace(/[^+\d]/g, '')}` }, c.address);
  if (c.type === 'email') return h('a', { href: `mailto:${c.address}` }, c.address);
  if (c.type === 'portal' && /^https?:/.test(c.address)) return h('a', { href: c.address }, c.address);
  return c.address;
}

async function pageHome(el) {
  const cal = view.calendar || {};
  fill(el, 
    h('h1', {}, tx(view.identity.name), ': ', T.home),
    flash ? h('p', { class: 'error', role: 'alert' }, flash) : null,
    h('p', {}, h('strong', {}, T.product, ': '), tx(view.identity.product)),
    h('div', { class: 'grid' },
      h('section', { class: 'card', 'aria-labelledby': 'h-hours', id: 'hours' }, h('h2', { id: 'h-hours' }, T.hours),
        hoursTable(), h('p', { class: 'muted' }, T.timeZone, ': ', cal.timeZone || '—')),
      h('section', { class: 'card', 'aria-labelledby': 'h-contacts', id: 'contacts' }, h('h2', { id: 'h-contacts' }, T.contacts),
        h('ul', {}, (view.channels || []).map((c) => h('li', {}, h('span', {}, tx(c.label)), ': ', channelLink(c),
          c.hours ? h('span', { class: 'muted' }, ` (${T.channelHours[c.hours] || c.hours})`) : null))))),
    h('p', {}, session
      ? (isStaff() ? h('a', { class: 'button', href: '#/queue' }, T.queue) : h('a', { class: 'button', href: '#/new' }, T.newRequest))
      : h('a', { class: 'button', href: '#/signin' }, T.signIn)));
  flash = null;
}

async function pageSignIn(el) {
  const err = h('p', { class: 'error', role: 'alert', id: 'signin-error' }, flash || '');
  flash = null;
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card', id: 'signin-form', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      const { data } = await api('/auth/login', { method: 'POST', body: { email: email.value, password: password.value }, anonymous: true });
      if (data.twoFactor) { await twoFactorStep(el, data); return; }
      await finishSignIn(data);
    } catch (ex) {
      saveSession(null);
      err.textContent = `${T.signInFailed}: ${ex.message}`;
      password.focus();
    }
  } },
  h('label', { for: 'email' }, T.email), email,
  h('label', { for: 'password' }, T.password), password,
  h('p', {}, h('button', { type: 'submit', id: 'signin-submit' }, T.signInButton)), err,
  h('p', {}, h('a', { href: '#/forgot', id: 'forgot-link' }, T.forgot)));
  fill(el, h('h1', {}, T.signInTitle), await ssoButtons(form), form);
  render.focusMain = false;
  email.focus();
}

// Single sign-on (OpenID Connect): one button per provider of the tenant (GET .../auth/methods);
// the provider comes back through the API's callback to #/sso/<one-time code>, traded here for the
// session's tokens (POST .../auth/oidc/exchange); failures land on #/sso-error/<problem code>.
let signInMethods = null;
async function ssoButtons(passwordForm) {
  try {
    if (!signInMethods) signInMethods = (await api('/auth/methods', { anonymous: true })).data;
  } catch (e) {
    return null;
  }
  const passwords = (signInMethods.password || []).length > 0;
  passwordForm.hidden = !passwords;
  const providers = signInMethods.oidc || [];
  if (!providers.length) return null;
  return h('section', { class: 'card', id: 'sso', 'aria-labelledby': 'h-sso' },
    h('h2', { id: 'h-sso' }, T.ssoMethods),
    providers.map((p) => h('p', {}, h('a', { class: 'button', id: `sso-${p.id}`, href: p.startUrl }, tx(p.label)))),
    passwords ? h('p', { class: 'muted' }, T.ssoOr) : null);
}
async function pageSso(el, code, next) {
  fill(el, h('h1', {}, T.signInTitle), h('p', { class: 'muted', role: 'status', id: 'sso-status' }, T.ssoSigningIn));
  try {
    const { data } = await api('/auth/oidc/exchange', { method: 'POST', body: { code }, anonymous: true });
    saveSession({ accessToken: data.accessToken, refreshToken: data.refreshToken });
    const me = await api('/me');
    saveSession({ ...session, me: me.data });
    startLive();
    // replace the spent code in the history with the page to show
    location.replace(next ? `#${next}` : (isStaff() ? '#/queue' : '#/requests'));
  } catch (ex) {
    saveSession(null);
    location.replace(`#/sso-error/${ex.problem?.code || 'auth.oidc-code-invalid'}`);
  }
}
function pageSsoError(el, code) {
  fill(el, h('h1', {}, T.ssoFailed),
    h('p', { class: 'error', role: 'alert', id: 'sso-error' }, T.ssoErrors[code] || T.ssoErrorGeneric),
    h('p', { class: 'muted' }, `${T.ssoCode}: `, h('code', { id: 'sso-error-code' }, code)),
    h('p', {}, h('a', { class: 'button', href: '#/signin' }, T.ssoTryAgain)));
}

// ---------- two-factor sign-in (TOTP) ----------
// After the right password the server may answer {twoFactor: 'required' | 'enrolment-required', challenge}
// instead of tokens: ask for the app's code (or a recovery code), or set up the app first.
async function finishSignIn(data) {
  saveSession({ accessToken: data.accessToken, refreshToken: data.refreshToken });
  const me = await api('/me');
  saveSession({ ...session, me: me.data });
  startLive();
  go(isStaff() ? '#/queue' : '#/requests');
}
// The server's QR code (an SVG document without script or links) as a DOM node, never via innerHTML.
function qrNode(markup) {
  const doc = new DOMParser().parseFromString(markup || '', 'image/svg+xml');
  const svg = doc.documentElement;
  if (!svg || svg.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
  svg.querySelectorAll('script, foreignObject').forEach((n) => n.remove());
  svg.setAttribute('width', '200'); svg.setAttribute('height', '200');
  svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', T.qrLabel);
  return document.importNode(svg, true);
}
function codeInput(id) {
  return h('input', { id, name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,8}',
    maxlength: 9, required: true, class: 'code' });
}
// The secret to scan or type, and a code field; onCode(code) confirms it.
function enrolmentForm(enrolment, onCode) {
  const err = h('p', { class: 'error', role: 'alert', id: 'tf-enrol-error' });
  const code = codeInput('tf-enrol-code');
  const secret = enrolment.secret.replace(/(.{4})/g, '$1 ').trim();
  return h('form', { class: 'card', id: 'tf-enrol-form', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      await onCode(code.value.replace(/\s/g, ''));
    } catch (ex) {
      err.textContent = ex.message;
      code.select();
    }
  } },
  h('p', {}, T.tfScan),
  h('div', { class: 'qr', id: 'tf-qr' }, qrNode(enrolment.qrSvg)),
  h('p', {}, h('strong', {}, T.tfKey, ': '), h('code', { id: 'tf-secret' }, secret)),
  h('p', {}, h('a', { href: enrolment.otpauthUri, id: 'tf-otpauth' }, T.tfOpenApp)),
  h('label', { for: 'tf-enrol-code' }, T.tfCode), code,
  h('p', {}, h('button', { type: 'submit', id: 'tf-enrol-submit' }, T.tfConfirm)), err);
}
// Recovery codes, shown once; then() continues.
function recoveryCodesCard(codes, then) {
  return h('section', { class: 'card notice', id: 'tf-recovery', 'aria-labelledby': 'h-tf-recovery' },
    h('h2', { id: 'h-tf-recovery' }, T.tfRecoveryTitle), h('p', {}, T.tfRecoveryHint),
    h('ol', { class: 'codes', id: 'tf-recovery-codes' }, codes.map((c) => h('li', {}, h('code', {}, c)))),
    then ? h('p', {}, h('button', { type: 'button', id: 'tf-recovery-done', onclick: then }, T.tfSaved)) : null);
}
function challengeLost(ex) {
  if (ex.problem?.code !== 'auth.challenge-invalid') return false;
  flash = T.tfChallengeExpired;
  go('#/signin');
  return true;
}
async function twoFactorStep(el, step) {
  render.focusMain = false;
  if (step.twoFactor === 'enrolment-required') {
    let enrolment;
    try {
      enrolment = (await api('/auth/two-factor/enrol', { method: 'POST', body: { challenge: step.challenge }, anonymous: true })).data;
    } catch (ex) {
      if (!challengeLost(ex)) fill(el, h('h1', {}, T.tfEnrolTitle), h('p', { class: 'error', role: 'alert' }, ex.message));
      return;
    }
    const form = enrolmentForm(enrolment, async (code) => {
      try {
        const { data } = await api('/auth/two-factor/enrol/confirm', { method: 'POST', body: { challenge: step.challenge, code }, anonymous: true });
        fill(el, h('h1', {}, T.tfEnrolTitle), h('p', { role: 'status' }, T.tfEnabled),
          recoveryCodesCard(data.recoveryCodes, () => finishSignIn(data)));
        document.getElementById('tf-recovery-done').focus();
      } catch (ex) {
        if (!challengeLost(ex)) throw ex;
      }
    });
    fill(el, h('h1', {}, T.tfEnrolTitle), h('p', { class: 'notice card', id: 'tf-required' }, T.tfEnrolRequired), form);
    document.getElementById('tf-enrol-code').focus();
    return;
  }
  let recovery = false;
  const err = h('p', { class: 'error', role: 'alert', id: 'tf-error' });
  const code = codeInput('tf-code');
  const label = h('label', { for: 'tf-code' }, T.tfCode);
  const hint = h('p', { id: 'tf-hint' }, T.tfStepHint);
  const toggle = h('button', { type: 'button', class: 'secondary', id: 'tf-recovery-toggle', onclick: () => {
    recovery = !recovery;
    label.textContent = recovery ? T.tfRecoveryCode : T.tfCode;
    toggle.textContent = recovery ? T.tfUseApp : T.tfUseRecovery;
    code.setAttribute('inputmode', recovery ? 'text' : 'numeric');
    code.setAttribute('autocomplete', recovery ? 'off' : 'one-time-code');
    if (recovery) code.removeAttribute('pattern'); else code.setAttribute('pattern', '[0-9 ]{6,8}');
    code.setAttribute('maxlength', recovery ? 20 : 9);
    code.value = '';
    code.focus();
  } }, T.tfUseRecovery);
  const form = h('form', { class: 'card', id: 'tf-form', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    const body = recovery ? { challenge: step.challenge, recoveryCode: code.value } : { challenge: step.challenge, code: code.value.replace(/\s/g, '') };
    try {
      const { data } = await api('/auth/login/two-factor', { method: 'POST', body, anonymous: true });
      if (data.recoveryCodesLeft !== undefined) flash = `${T.tfCodesLeft}${data.recoveryCodesLeft}`;
      await finishSignIn(data);
    } catch (ex) {
      if (challengeLost(ex)) return;
      saveSession(null);
      err.textContent = ex.message;
      code.select();
    }
  } },
  hint, label, code, h('p', {}, h('button', { type: 'submit', id: 'tf-submit' }, T.signInButton), toggle), err);
  fill(el, h('h1', {}, T.tfStepTitle), form);
  code.focus();
}

// The person's sessions (one per sign-in, with its device), each revocable; revoking ends it on every node.
function sessionsCard() {
  const list = h('ul', { class: 'sessions', id: 'sessions-list' });
  const note = h('p', { role: 'status', id: 'sessions-note' });
  const card = h('section', { class: 'card', 'aria-labelledby': 'h-sessions' }, h('h2', { id: 'h-sessions' }, T.sessions),
    list, h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'sessions-revoke-others', onclick: async () => {
      try {
        const { data } = await api('/me/sessions/revoke-others', { method: 'POST' });
        note.textContent = `${T.sessionsRevoked}${data.revoked}`;
        load();
      } catch (ex) { note.textContent = ex.message; }
    } }, T.sessionsRevokeOthers)), note);
  async function load() {
    try {
      const items = (await api('/me/sessions')).data.items;
      fill(list, ...items.map((s) => h('li', { 'data-session': s.id, 'data-current': String(s.current) },
        h('strong', { title: s.userAgent || '' }, deviceLabel(s.userAgent)), ' · ', s.method,
        s.ip ? ` · ${s.ip}` : '', ` · ${T.sessionLastSeen}${fmt(s.lastSeenAt)}`,
        s.current ? h('span', { class: 'badge' }, ` ${T.sessionCurrent}`)
          : h('button', { type: 'button', class: 'link', onclick: async () => {
            try { await api(`/me/sessions/${s.id}`, { method: 'DELETE' }); load(); } catch (ex) { note.textContent = ex.message; }
          } }, T.sessionRevoke))));
    } catch (ex) { note.textContent = ex.message; }
  }
  load();
  return card;
}

// "Chrome · Linux" from a user agent; the whole string stays in the tooltip.
function deviceLabel(ua) {
  if (!ua) return T.sessionUnknownDevice;
  const browser = [['Edg/', 'Edge'], ['OPR/', 'Opera'], ['Firefox/', 'Firefox'], ['Chrome/', 'Chrome'], ['Safari/', 'Safari']]
    .find(([mark]) => ua.includes(mark))?.[1];
  const os = [['Android', 'Android'], ['iPhone', 'iOS'], ['iPad', 'iPadOS'], ['Windows', 'Windows'], ['Mac OS', 'macOS'], ['Linux', 'Linux']]
    .find(([mark]) => ua.includes(mark))?.[1];
  return browser || os ? [browser, os].filter(Boolean).join(' · ') : ua.slice(0, 60);
}

// Changing the password needs the current one and ends every other session.
function passwordCard(me) {
  if (me.hasPassword === false) return null;
  const current = h('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', minlength: 10, required: true });
  const note = h('p', { role: 'status', id: 'pw-note' });
  const form = h('form', { id: 'pw-form', onsubmit: async (e) => {
    e.preventDefault();
    note.textContent = '';
    try {
      const { data } = await api('/me/password', { method: 'POST', body: { currentPassword: current.value, newPassword: next.value } });
      current.value = ''; next.value = '';
      note.textContent = `${T.passwordChanged}${data.revokedSessions}`;
    } catch (ex) { note.textContent = ex.message; }
  } },
  h('label', { for: 'pw-current' }, T.currentPassword), current,
  h('label', { for: 'pw-new' }, T.newPassword), next,
  h('p', {}, h('button', { type: 'submit', id: 'pw-submit' }, T.changePassword)), note);
  return h('section', { class: 'card', 'aria-labelledby': 'h-pw' }, h('h2', { id: 'h-pw' }, T.changePassword), form);
}

// #/security: the signed-in person's two-factor sign-in: set up (QR code), recovery codes, switch off.
async function pageSecurity(el) {
  if (needSession(el)) return;
  const me = (await api('/me')).data;
  const tf = me.twoFactor || { enabled: false, required: false };
  const note = h('p', { role: 'status', id: 'tf-note' }, flash || '');
  flash = null;
  const status = h('p', { id: 'tf-status', 'data-enabled': String(!!tf.enabled) }, tf.enabled ? T.tfOn : T.tfOff,
    tf.required ? ` ${T.tfRequiredNote}` : '');
  const area = h('div', { id: 'tf-area' });
  const section = h('section', { class: 'card', 'aria-labelledby': 'h-tf' }, h('h2', { id: 'h-tf' }, T.twoFactor), status, area, note);
  fill(el, h('h1', {}, T.security), section, sessionsCard(), passwordCard(me));
  if (me.hasPassword === false) { fill(area, h('p', {}, T.tfNoPassword)); return; }
  if (!tf.enabled) {
    fill(area, h('button', { type: 'button', id: 'tf-setup', onclick: async () => {
      try {
        const enrolment = (await api('/me/two-factor', { method: 'POST' })).data;
        fill(area, enrolmentForm(enrolment, async (code) => {
          const { data } = await api('/me/two-factor/confirm', { method: 'POST', body: { code } });
          fill(area, recoveryCodesCard(data.recoveryCodes, () => { flash = T.tfEnabled; render(); }));
          document.getElementById('tf-recovery-done').focus();
        }));
        document.getElementById('tf-enrol-code').focus();
      } catch (ex) {
        note.textContent = ex.message;
      }
    } }, T.tfSetUp));
    return;
  }
  const renewCode = codeInput('tf-renew-code');
  const renewErr = h('p', { class: 'error', role: 'alert', id: 'tf-renew-error' });
  const renew = h('form', { id: 'tf-renew-form', onsubmit: async (e) => {
    e.preventDefault();
    renewErr.textContent = '';
    try {
      const { data } = await api('/me/two-factor/recovery-codes', { method: 'POST', body: { code: renewCode.value.replace(/\s/g, '') } });
      fill(area, recoveryCodesCard(data.recoveryCodes, () => render()));
      document.getElementById('tf-recovery-done').focus();
    } catch (ex) {
      renewErr.textContent = ex.message;
    }
  } },
  h('h3', {}, T.tfRecoveryTitle), h('p', {}, `${T.tfCodesLeft}${tf.recoveryCodesLeft ?? '—'}`),
  h('label', { for: 'tf-renew-code' }, T.tfCode), renewCode,
  h('p', {}, h('button', { type: 'submit', class: 'secondary', id: 'tf-renew-submit' }, T.tfRenew)), renewErr);
  let off = null;
  if (!tf.required) {
    const pw = h('input', { id: 'tf-off-password', type: 'password', autocomplete: 'current-password' });
    const offCode = h('input', { id: 'tf-off-code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 9 });
    const offErr = h('p', { class: 'error', role: 'alert', id: 'tf-off-error' });
    off = h('form', { id: 'tf-off-form', onsubmit: async (e) => {
      e.preventDefault();
      offErr.textContent = '';
      const body = pw.value ? { password: pw.value } : { code: offCode.value.replace(/\s/g, '') };
      try {
        await api('/me/two-factor', { method: 'DELETE', body });
        flash = T.tfDisabled;
        render();
      } catch (ex) {
        offErr.textContent = ex.message;
      }
    } },
    h('h3', {}, T.tfDisable), h('p', { class: 'hint' }, T.tfDisableHint),
    h('label', { for: 'tf-off-password' }, T.password), pw,
    h('label', { for: 'tf-off-code' }, T.tfOrCode), offCode,
    h('p', {}, h('button', { type: 'submit', class: 'danger', id: 'tf-off-submit' }, T.tfDisable)), offErr);
  }
  fill(area, renew, off);
}

// Password reset: ask for a link by mail, then set the new password on the page the link opens.
async function pageForgot(el) {
  const note = h('p', { role: 'status', id: 'forgot-status' });
  const email = h('input', { id: 'forgot-email', name: 'email', type: 'email', autocomplete: 'username', required: true });
  const form = h('form', { class: 'card', id: 'forgot-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api('/auth/password-reset', { method: 'POST', body: { email: email.value }, anonymous: true });
      note.textContent = T.linkSent;
    } catch (ex) {
      note.textContent = ex.message;
    }
  } },
  h('p', {}, T.forgotHint), h('label', { for: 'forgot-email' }, T.email), email,
  h('p', {}, h('button', { type: 'submit', id: 'forgot-submit' }, T.sendLink)), note);
  fill(el, h('h1', {}, T.forgotTitle), form);
}

async function pageReset(el, token) {
  const err = h('p', { class: 'error', role: 'alert', id: 'reset-error' });
  const first = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', minlength: 10, required: true });
  const second = h('input', { id: 'repeat-password', type: 'password', autocomplete: 'new-password', minlength: 10, required: true });
  const form = h('form', { class: 'card', id: 'reset-form', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    if (first.value !== second.value) { err.textContent = T.passwordsDiffer; second.focus(); return; }
    try {
      await api('/auth/password-reset/confirm', { method: 'POST', body: { token, password: first.value }, anonymous: true });
      saveSession(null);
      flash = T.resetDone;
      go('#/signin');
    } catch (ex) {
      err.textContent = ex.message;
    }
  } },
  h('label', { for: 'new-password' }, T.newPassword), first,
  h('label', { for: 'repeat-password' }, T.repeatPassword), second,
  h('p', {}, h('button', { type: 'submit', id: 'reset-submit' }, T.setPassword)), err);
  fill(el, h('h1', {}, T.resetTitle), form);
}

// The 1-5 scale with a comment: buttons with aria-pressed, one answer sent by onSubmit(rating, comment).
function ratingForm(id, question, onSubmit) {
  let rating = null;
  const err = h('p', { class: 'error', role: 'alert', id: `${id}-error` });
  const comment = h('textarea', { id: `${id}-comment`, maxlength: 2000 });
  const buttons = [1, 2, 3, 4, 5].map((n) => h('button', { type: 'button', class: 'secondary rating', 'data-rating': n,
    'aria-pressed': 'false', 'aria-label': `${n} / 5`, onclick: () => {
      rating = n;
      err.textContent = '';
      for (const b of buttons) b.setAttribute('aria-pressed', String(Number(b.dataset.rating) === n));
    } }, String(n)));
  const submit = h('button', { type: 'submit', id: `${id}-submit` }, T.surveySend);
  return h('form', { class: 'card survey', id, onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    if (!rating) { err.textContent = T.surveyPick; buttons[0].focus(); return; }
    submit.disabled = true;
    try {
      await onSubmit(rating, comment.value.trim() || null);
    } catch (ex) {
      err.textContent = surveyProblem(ex);
      submit.disabled = false;
    }
  } },
  h('h2', {}, T.satisfaction), h('p', {}, question),
  h('div', { role: 'group', 'aria-label': T.ratingLabel, class: 'rating-scale' }, buttons),
  h('p', { class: 'hint' }, T.ratingHint),
  h('label', { for: `${id}-comment` }, T.surveyComment), comment, h('p', {}, submit), err);
}
function surveyProblem(ex) {
  const code = ex.problem?.code;
  if (code === 'survey.link-invalid') return T.surveyInvalid;
  if (code === 'survey.link-expired') return T.surveyExpired;
  if (code === 'survey.already-answered') return T.surveyAnswered;
  return ex.message;
}

// #/survey/<token>: the mailed satisfaction survey, without signing in (GET/POST /api/v1/surveys/<token>).
async function pageSurvey(el, token) {
  const call = async (method, body) => {
    const res = await fetch(`/api/v1/surveys/${encodeURIComponent(token)}`, { method,
      headers: { 'Accept-Language': lang, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  };
  const status = (text, cls) => h('p', { class: cls || 'notice card', role: 'status', id: 'survey-status' }, text);
  let survey;
  try {
    survey = await call('GET');
    // a link of another desk opened on this portal is not this desk's survey
    if (survey.tenant?.id !== tenant) throw new ApiError(404, { code: 'survey.link-invalid' });
  } catch (ex) {
    fill(el, h('h1', {}, T.surveyTitle), status(surveyProblem(ex), 'error card'));
    return;
  }
  fill(el, h('h1', {}, T.surveyTitle),
    h('p', {}, T.surveyFor, ' ', h('strong', { id: 'survey-number' }, survey.request?.number), survey.request?.subject ? `: ${survey.request.subject}` : ''),
    ratingForm('survey-form', tx(survey.question), async (rating, comment) => {
      await call('POST', { rating, comment });
      fill(el, h('h1', {}, T.surveyTitle), status(T.surveyThanks));
    }));
}

function catalogueList(items) {
  if (!items?.length) return null;
  return h('ul', {}, items.map((i) => h('li', { 'data-service': i.id }, h('strong', {}, tx(i.name)),
    i.description ? h('div', { class: 'muted' }, tx(i.description)) : null, catalogueList(i.children))));
}
function matchText(match) {
  const parts = [];
  for (const [key, list] of [['kind', 'kinds'], ['category', 'categories'], ['priority', 'priorities'], ['severity', 'severities']]) {
    if (match?.[key]) parts.push(`${T[key]}: ${taxName(list, match[key])}`);
  }
  if (match?.service) parts.push(`${T.service}: ${serviceName(match.service)}`);
  return parts.join('; ') || T.common;
}
function slaTable() {
  const sla = view.sla || {};
  if (sla.policy === 'none' || (!sla.cells?.length && !sla.commonTargets?.length)) {
    return h('p', {}, sla.statement ? tx(sla.statement) : T.slaNone);
  }
  const rows = [];
  for (const t of sla.commonTargets || []) rows.push([T.common, t]);
  for (const c of sla.cells || []) for (const t of c.targets || []) rows.push([matchText(c.match) + (c.note ? ` (${tx(c.note)})` : ''), t]);
  return h('table', { class: 'responsive', id: 'sla-table' },
    h('caption', { class: 'sr-only' }, T.sla),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, T.appliesTo), h('th', { scope: 'col' }, T.target), h('th', { scope: 'col' }, T.duration))),
    h('tbody', {}, rows.map(([applies, t]) => h('tr', {},
      h('td', { 'data-label': T.appliesTo }, applies),
      h('td', { 'data-label': T.target }, tx(t.label) || t.id, t.side === 'customer' ? h('span', { class: 'muted' }, ` (${T.customerSide})`) : null),
      h('td', { 'data-label': T.duration }, duration(t.duration))))));
}
async function pageCatalogue(el) {
  fill(el, h('h1', {}, T.catalogue),
    h('section', { class: 'card', id: 'catalogue' }, h('h2', {}, T.service), catalogueList(view.catalogue)),
    h('section', { class: 'card', id: 'sla' }, h('h2', {}, T.sla), slaTable()));
}

async function pageLibrary(el) {
  const lib = view.library || [];
  const news = lib.filter((x) => x.kind === 'news');
  const docs = lib.filter((x) => x.kind !== 'news');
  const noticeBox = h('div', { id: 'notices' });
  fill(el, h('h1', {}, T.library),
    h('section', { class: 'card' }, h('h2', {}, T.news), noticeBox,
      news.length ? h('ul', {}, news.map((n) => h('li', {}, h('a', { href: n.url, rel: 'noopener' }, tx(n.title))))) : null),
    h('section', { class: 'card', id: 'library' }, h('h2', {}, T.libraryDocs),
      docs.length ? h('ul', {}, docs.map((n) => h('li', {}, h('a', { href: n.url, rel: 'noopener' }, tx(n.title)), h('span', { class: 'muted' }, ` (${n.kind})`)))) : h('p', { class: 'muted' }, '—')));
  if (session) {
    try {
      const { data } = await api('/notices?limit=20');
      fill(noticeBox, ...(data.items || []).map((n) => h('article', { class: 'card notice' },
        h('h3', {}, tx(n.title)), h('p', {}, tx(n.body)), h('p', { class: 'muted' }, fmt(n.publishedAt || n.createdAt)))));
    } catch (e) { /* notices are optional here */ }
  }
  if (!news.length && !noticeBox.children.length) noticeBox.append(h('p', { class: 'muted' }, T.noNews));
}

function nearestDeadline(deadlines) {
  const open = (deadlines || []).filter((d) => d.side !== 'customer' && ['running', 'paused', 'breached'].includes(d.status));
  open.sort((a, b) => (a.dueAt || '9').localeCompare(b.dueAt || '9'));
  return open[0] || null;
}
function inWorkingHours() {
  const cal = view.calendar || {};
  if (cal.alwaysOpen) return true;
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: cal.timeZone || 'UTC', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false })
    .formatToParts(new Date()).map((p) => [p.type, p.value]));
  const day = parts.weekday.toLowerCase().slice(0, 3);
  const now = `${parts.hour}:${parts.minute}`;
  return (cal.weeklyHours?.[day] || []).some((r) => { const [a, b] = r.split('-'); return now >= a && now < b; });
}
// The SLA badge; staff see the business time left (ticking while the desk is open), customers the due time.
function slaBadge(d, fetchedAt) {
  if (!d) return h('span', { class: 'sla done' }, '—');
  const now = Date.now();
  if (d.status === 'breached' || d.breachedAt) return h('span', { class: 'sla late', 'data-sla': 'breached' }, `${T.breached} · ${fmt(d.dueAt)}`);
  if (d.status === 'paused') return h('span', { class: 'sla paused', 'data-sla': 'paused' }, T.paused);
  if (d.remainingWorkingSeconds === undefined || d.remainingWorkingSeconds === null) {
    const late = d.dueAt && new Date(d.dueAt) < now;
    return h('span', { class: `sla ${late ? 'late' : 'ok'}`, 'data-sla': late ? 'breached' : 'ok' }, fmt(d.dueAt));
  }
  const working = /working/.test(d.duration || '');
  const elapsed = (now - fetchedAt) / 1000;
  const left = d.remainingWorkingSeconds - (!working || inWorkingHours() ? elapsed : 0);
  const warn = (d.warnAt && new Date(d.warnAt) <= now) || left < 3600;
  const cls = left <= 0 ? 'late' : warn ? 'near' : 'ok';
  return h('span', { class: `sla ${cls}`, 'data-sla': cls, title: `${T.due}: ${fmt(d.dueAt)}` },
    left <= 0 ? `${T.breached} ${hms(left)}` : `${hms(left)} ${T.remaining}`);
}
// Each list row carries its deadlines (without the explanations); the countdown ticks locally from
// the moment the page was fetched.
function stamped(items) {
  const now = Date.now();
  return items.map((t) => ({ ...t, _fetchedAt: now }));
}

async function pageRequests(el) {
  if (needSession(el)) return;
  if (isStaff()) { go('#/queue'); return; }
  const body = h('tbody', { id: 'request-rows' });
  const table = h('table', { class: 'responsive', id: 'requests' },
    h('caption', { class: 'sr-only' }, T.requests),
    h('thead', {}, h('tr', {}, [T.number, T.subject, T.status, T.planned, T.due, T.updated].map((x) => h('th', { scope: 'col' }, x)))), body);
  fill(el, h('h1', {}, T.requests), h('p', {}, h('a', { class: 'button', href: '#/new' }, T.newRequest)), table);
  let fresh = null;
  const load = async () => {
    const { data } = await api('/requests?limit=50&sort=-created');
    const items = stamped(data.items || []);
    fill(body, ...items.map((t) => h('tr', { 'data-number': t.number, class: t.number === fresh ? 'fresh' : null },
      h('td', { 'data-label': T.number }, h('a', { href: `#/requests/${t.number}` }, t.number)),
      h('td', { 'data-label': T.subject }, t.subject),
      h('td', { 'data-label': T.status }, statusBadge(t.status)),
      h('td', { 'data-label': T.planned }, t.plannedDate ? fmt(t.plannedDate, true) : '—'),
      h('td', { 'data-label': T.due }, (() => { const d = nearestDeadline(t.deadlines); return d ? slaBadge(d, t._fetchedAt) : '—'; })()),
      h('td', { 'data-label': T.updated }, fmt(t.updatedAt)))));
    if (!items.length) body.append(h('tr', {}, h('td', { colspan: 6 }, T.noRequests)));
  };
  await load();
  onLive = debounce((ev) => { fresh = ev.ticket; load(); say(`${ev.ticket}: ${T.eventNames[ev.event] || ev.event}`); }, 250);
}
function debounce(fn, ms) {
  let t = null; let last = null;
  return (arg) => { last = arg; clearTimeout(t); t = setTimeout(() => fn(last), ms); };
}

function fieldInput(f, prefix) {
  const id = `${prefix}${f.id}`;
  const common = { id, name: f.id, required: f.required ? true : null, 'data-field': f.id };
  let input;
  switch (f.type) {
    case 'textarea': input = h('textarea', common); break;
    case 'select': input = h('select', common, h('option', { value: '' }, T.choose), (f.options || []).map((o) => h('option', { value: o.id }, tx(o.name)))); break;
    case 'date': input = h('input', { ...common, type: 'date' }); break;
    case 'datetime': input = h('input', { ...common, type: 'datetime-local' }); break;
    case 'email': input = h('input', { ...common, type: 'email', autocomplete: 'email' }); break;
    case 'phone': input = h('input', { ...common, type: 'tel', autocomplete: 'tel' }); break;
    case 'number': case 'integer': input = h('input', { ...common, type: 'number' }); break;
    case 'boolean': input = h('select', common, h('option', { value: '' }, T.choose), h('option', { value: 'true' }, lang === 'ru' ? 'Да' : 'Yes'), h('option', { value: 'false' }, lang === 'ru' ? 'Нет' : 'No')); break;
    default: input = h('input', { ...common, type: 'text' });
  }
  return [h('label', { for: id }, tx(f.label) || f.id, f.required ? h('span', { class: 'hint' }, ` (${T.required})`) : null), input];
}
function formValue(f, input) {
  const v = input.value;
  if (v === '') return undefined;
  if (f.type === 'datetime') return new Date(v).toISOString();
  if (f.type === 'number' || f.type === 'integer') return Number(v);
  if (f.type === 'boolean') return v === 'true';
  return v;
}
function requestableServices(items, depth = 0, out = []) {
  for (const i of items || []) {
    out.push({ id: i.id, name: `${'\u2003'.repeat(depth)}${tx(i.name)}`, disabled: i.requestable === false });
    requestableServices(i.children, depth + 1, out);
  }
  return out;
}
async function pageNew(el) {
  if (needSession(el)) return;
  const tax = view.taxonomy || {};
  const required = new Set(tax.requiredFields || ['subject', 'description']);
  const err = h('div', { class: 'error', role: 'alert', id: 'new-error' });
  const fields = [];
  // a person of several organisations picks the one the request is for (default: the primary one)
  const orgs = session.me?.organisations || [];
  const organisation = orgs.length > 1 ? h('select', { id: 'f-organisation', name: 'organisationId' },
    orgs.map((o) => h('option', { value: o.id, selected: o.primary ? true : null }, o.name))) : null;
  if (organisation) fields.push(h('label', { for: 'f-organisation' }, T.organisation), organisation);
  const subject = h('input', { id: 'f-subject', name: 'subject', required: true, maxlength: 300 });
  const description = h('textarea', { id: 'f-description', name: 'description', required: true });
  fields.push(h('label', { for: 'f-subject' }, T.subject), subject, h('label', { for: 'f-description' }, T.description), description);
  const selects = {};
  const addSelect = (key, list, label) => {
    if (!tax[list]?.length) return;
    if (key === 'category' && !required.has('category')) return;   // categories are set by support at triage
    const s = h('select', { id: `f-${key}`, name: key, required: required.has(key) ? true : null },
      h('option', { value: '' }, T.choose), tax[list].map((o) => h('option', { value: o.id, title: tx(o.description) || null }, tx(o.name))));
    selects[key] = s;
    fields.push(h('label', { for: `f-${key}` }, label, required.has(key) ? h('span', { class: 'hint' }, ` (${T.required})`) : null), s);
  };
  if (view.catalogue?.length) {
    const s = h('select', { id: 'f-service', name: 'service', required: required.has('service') ? true : null }, h('option', { value: '' }, T.choose),
      requestableServices(view.catalogue).map((o) => h('option', { value: o.id, disabled: o.disabled ? true : null }, o.name)));
    selects.service = s;
    fields.push(h('label', { for: 'f-service' }, T.service, required.has('service') ? h('span', { class: 'hint' }, ` (${T.required})`) : null), s);
  }
  addSelect('kind', 'kinds', T.kind);
  addSelect('category', 'categories', T.category);
  addSelect('priority', 'priorities', T.priority);
  addSelect('severity', 'severities', T.severity);
  const formFields = view.requestForm?.fields || [];
  const formInputs = [];
  const formBox = formFields.length ? h('fieldset', { class: 'card', id: 'request-form' }, h('legend', {}, tx(view.requestForm.name) || T.form),
    formFields.map((f) => { const [label, input] = fieldInput(f, 'form-'); formInputs.push([f, input]); return [label, input]; })) : null;
  const files = h('input', { id: 'f-files', type: 'file', multiple: true });
  const submit = h('button', { type: 'submit', id: 'new-submit' }, T.submit);
  const form = h('form', { id: 'new-request', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    submit.disabled = true;
    const body = { subject: subject.value, description: description.value };
    for (const [k, s] of Object.entries(selects)) if (s.value) body[k] = s.value;
    if (organisation?.value) body.organisationId = organisation.value;
    const answers = {};
    for (const [f, input] of formInputs) { const v = formValue(f, input); if (v !== undefined) answers[f.id] = v; }
    if (Object.keys(answers).length) body.form = answers;
    try {
      const { data } = await api('/requests', { method: 'POST', body, headers: { 'Idempotency-Key': form.dataset.key } });
      for (const file of files.files) {
        await api(`/requests/${encodeURIComponent(data.number)}/attachments?name=${encodeURIComponent(file.name)}`,
          { method: 'POST', body: file, raw: true, headers: { 'Content-Type': file.type || 'application/octet-stream', 'Idempotency-Key': uuid() } });
      }
      say(`${T.created}: ${data.number}`);
      flash = `${T.created}: ${data.number}`;
      go(`#/requests/${data.number}`);
    } catch (ex) {
      err.textContent = ex.message;
      submit.disabled = false;
      err.focus?.();
    }
  } }, h('div', { class: 'card' }, fields), formBox,
  h('div', { class: 'card' }, h('label', { for: 'f-files' }, T.attach), files), err, submit);
  form.dataset.key = uuid();
  fill(el, h('h1', {}, T.newRequest), form);
}

async function downloadAttachment(number, a) {
  const { data } = await api(`/requests/${encodeURIComponent(number)}/attachments/${a.id}`, { raw: 'blob' });
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data]));
  const link = h('a', { href: url, download: a.fileName }); document.body.append(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
function eventLine(ev) {
  const a = ev.after || {};
  let detail = '';
  if (ev.type === 'status-changed') detail = `${statusName(ev.before?.status)} → ${statusName(a.status)}`;
  else if (a.fileName) detail = a.fileName;
  else if (ev.type === 'updated') {
    const shown = { category: ['category', (v) => taxName('categories', v)], priority: ['priority', (v) => taxName('priorities', v)],
      severity: ['severity', (v) => taxName('severities', v)], plannedDate: ['planned', (v) => fmt(v, true)],
      assigneeId: ['assignee', (v) => (users || []).find((u) => u.id === v)?.displayName || (v ? '✓' : '—')] };
    detail = Object.keys(a).filter((k) => shown[k] && JSON.stringify(a[k]) !== JSON.stringify(ev.before?.[k]))
      .map((k) => `${T[shown[k][0]]}: ${a[k] ? shown[k][1](a[k]) : '—'}`).join('; ');
  }
  else if (ev.type === 'watcher-added') detail = a.displayName || '';
  else if (ev.type === 'watcher-removed') detail = ev.before?.displayName || '';
  else if (a.status && ev.type === 'created') detail = statusName(a.status);
  else if (ev.type === 'satisfaction-rated') detail = `${a.rating}/5${a.comment ? ` «${a.comment}»` : ''}`;
  return h('li', { 'data-event': ev.type, class: ev.public === false ? 'internal' : null },
    h('time', { datetime: ev.createdAt }, fmt(ev.createdAt)), ' — ', h('strong', {}, T.eventNames[ev.type] || ev.type), detail ? `: ${detail}` : '');
}

async function pageRequest(el, number) {
  if (needSession(el)) return;
  const staff = isStaff();
  const summary = h('div', { id: 'summary' });
  const actions = h('div', { id: 'actions' });
  const history = h('ol', { class: 'history', id: 'history' });
  const comments = h('div', { id: 'comments' });
  const attachments = h('ul', { id: 'attachments' });
  const triageBox = h('div', { id: 'triage' });
  const surveyBox = h('div', { id: 'survey' });
  const msg = h('p', { role: 'status', id: 'request-msg' }, flash || '');
  flash = null;
  let current = null; let etag = null;

  // watchers: colleagues of the request's organisation who get its mail and see it
  const watcherList = h('ul', { id: 'watcher-list' });
  const watcherPick = h('select', { id: 'watcher-pick' });
  const watcherForm = h('form', { class: 'row', id: 'watcher-form', hidden: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!watcherPick.value) return;
    try {
      await api(`/requests/${encodeURIComponent(number)}/watchers`, { method: 'POST', body: { userId: watcherPick.value } });
      msg.textContent = T.saved;
      await load();
    } catch (ex) { msg.textContent = ex.message; }
  } }, h('div', {}, h('label', { for: 'watcher-pick' }, T.addWatcher), watcherPick),
  h('div', {}, h('button', { type: 'submit', id: 'watcher-add' }, T.add)));
  const watchersBox = h('section', { class: 'card', id: 'watchers', 'aria-labelledby': 'h-watchers' },
    h('h2', { id: 'h-watchers' }, T.watchers), watcherList, watcherForm);
  const removeWatcher = async (w) => {
    try {
      await api(`/requests/${encodeURIComponent(number)}/watchers/${w.id}`, { method: 'DELETE' });
      msg.textContent = T.saved;
      await load();
    } catch (ex) { msg.textContent = ex.message; }
  };
  // candidates is null when the caller may not manage the watchers (then only themselves can be removed)
  const renderWatchers = (list, candidates) => {
    fill(watcherList, ...(list.length ? list.map((w) => h('li', { 'data-watcher': w.id }, w.displayName, ' ',
      candidates || w.id === session.me?.id ? h('button', { type: 'button', class: 'secondary watcher-remove',
        'aria-label': `${T.removeWatcher}: ${w.displayName}`, onclick: () => removeWatcher(w) }, T.removeWatcher) : null))
      : [h('li', { class: 'muted' }, T.noWatchers)]));
    watcherForm.hidden = !candidates?.length;
    if (candidates && document.activeElement !== watcherPick) {
      fill(watcherPick, h('option', { value: '' }, T.choose), candidates.map((c) => h('option', { value: c.id }, c.displayName)));
    }
  };

  const load = async () => {
    const [t, ev, cm, at, cand] = await Promise.all([
      api(`/requests/${encodeURIComponent(number)}`), api(`/requests/${encodeURIComponent(number)}/events?limit=200`),
      api(`/requests/${encodeURIComponent(number)}/comments?limit=200`), api(`/requests/${encodeURIComponent(number)}/attachments`),
      api(`/requests/${encodeURIComponent(number)}/watcher-candidates`).then((c) => c.data.items || []).catch(() => null)]);
    current = t.data; etag = t.etag;
    const fetchedAt = Date.now();
    const r = current;
    const facts = [[T.status, statusBadge(r.status)], [T.service, serviceName(r.service)], [T.kind, r.kind ? taxName('kinds', r.kind) : null],
      [T.category, r.category ? taxName('categories', r.category) : null], [T.priority, r.priority ? taxName('priorities', r.priority) : null],
      [T.severity, r.severity ? taxName('severities', r.severity) : null], [T.planned, r.plannedDate ? fmt(r.plannedDate, true) : '—'],
      [T.organisation, (session.me?.organisations || []).find((o) => o.id === r.organisationId)?.name || null],
      [T.updated, fmt(r.updatedAt)]].filter(([, v]) => v);
    const formLabels = Object.fromEntries((view.requestForm?.fields || []).map((f) => [f.id, tx(f.label)]));
    fill(summary, 
      h('h1', {}, h('span', { id: 'request-number' }, r.number), ': ', r.subject),
      h('dl', { class: 'grid card' }, facts.map(([k, v]) => h('div', {}, h('dt', { class: 'muted' }, k), h('dd', { 'data-fact': k }, v)))),
      h('section', { class: 'card' }, h('h2', {}, T.description), h('p', { style: 'white-space: pre-wrap' }, r.description),
        r.form && Object.keys(r.form).length ? h('dl', {}, Object.entries(r.form).map(([k, v]) => [h('dt', { class: 'muted' }, formLabels[k] || k), h('dd', {}, String(v))])) : null),
      r.deadlines?.length ? h('section', { class: 'card' }, h('h2', {}, T.sla), h('table', { class: 'responsive', id: 'deadlines' },
        h('thead', {}, h('tr', {}, [T.target, T.duration, T.due, T.status].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, r.deadlines.map((d) => h('tr', {}, h('td', { 'data-label': T.target }, targetLabel(d)), h('td', { 'data-label': T.duration }, duration(d.duration)),
          h('td', { 'data-label': T.due }, fmt(d.dueAt)),
          h('td', { 'data-label': T.status }, d.status === 'met' ? h('span', { class: 'sla done' }, T.met) : slaBadge(d, fetchedAt))))))) : null);
    fill(history, ...(ev.data.items || []).map(eventLine));
    fill(comments, ...(cm.data.items || []).map((c) => h('article', { class: `card ${c.internal ? 'internal' : ''}`, 'data-comment': c.id },
      h('p', { class: 'muted' }, fmt(c.createdAt), c.internal ? ` · ${T.internalNote}` : ''), h('p', { style: 'white-space: pre-wrap' }, c.body))));
    fill(attachments, ...(at.data.items || []).map((a) => h('li', { 'data-attachment': a.fileName },
      h('button', { type: 'button', class: 'secondary', onclick: () => downloadAttachment(number, a) }, a.fileName), ` ${Math.ceil(a.sizeBytes / 1024)} KiB`)));
    renderWatchers(r.watchers || [], cand);
    renderActions();
    if (staff && !triageBox.contains(document.activeElement)) renderTriage();
    if (!staff && !surveyBox.contains(document.activeElement)) await loadSurvey();
  };
  // The customer-satisfaction survey of a resolved request (GET/POST .../satisfaction): answered once.
  const loadSurvey = async () => {
    if (!['accepted', 'closed', 'closed-by-timeout'].includes(current.status)) { fill(surveyBox); return; }
    let data;
    try { data = (await api(`/requests/${encodeURIComponent(number)}/satisfaction`)).data; } catch (e) { fill(surveyBox); return; }
    const s = (data.items || [])[0];
    if (!s) { fill(surveyBox); return; }
    if (s.state === 'answered') {
      fill(surveyBox, h('section', { class: 'card', id: 'survey-done' }, h('h2', {}, T.satisfaction),
        h('p', {}, T.yourRating, ': ', h('strong', { 'data-rating': s.rating }, `${s.rating}/5`), s.comment ? ` — ${s.comment}` : '')));
      return;
    }
    if (s.state !== 'open') { fill(surveyBox); return; }
    fill(surveyBox, ratingForm('request-survey', tx(data.question), async (rating, comment) => {
      await api(`/requests/${encodeURIComponent(number)}/satisfaction`, { method: 'POST', body: { rating, comment } });
      msg.textContent = T.surveyThanks;
      await loadSurvey();
    }));
  };

  const act = async (action) => {
    try {
      await api(`/requests/${encodeURIComponent(number)}/transitions`, { method: 'POST', body: { action }, headers: etag ? { 'If-Match': etag } : {} });
      msg.textContent = T.saved;
      await load();
    } catch (e) {
      msg.textContent = e.status === 412 ? T.conflict : e.message;
      if (e.status === 412) await load();
    }
  };
  const renderActions = () => {
    const s = current.status;
    const buttons = [];
    if (!staff) {
      if (s === 'solution-proposed') {
        buttons.push(h('p', { class: 'notice card', id: 'proposal' }, T.proposed),
          h('button', { type: 'button', id: 'accept', onclick: () => act('accept') }, T.accept),
          h('button', { type: 'button', id: 'return', class: 'secondary', onclick: () => act('return') }, T.returnForRework));
      }
      if (s === 'waiting-for-customer') buttons.push(h('button', { type: 'button', id: 'reply', onclick: () => act('reply') }, T.reply));
    } else {
      const open = !['accepted', 'closed', 'cancelled', 'closed-by-timeout'].includes(s);
      if (['new', 'triage', 'waiting-for-customer', 'returned-for-rework'].includes(s)) buttons.push(h('button', { type: 'button', id: 'start', onclick: () => act('start') }, T.start));
      if (['new', 'triage', 'in-progress', 'returned-for-rework'].includes(s)) buttons.push(h('button', { type: 'button', id: 'ask', class: 'secondary', onclick: () => act('ask-clarification') }, T.askClarification));
      if (['triage', 'in-progress', 'waiting-for-customer', 'returned-for-rework'].includes(s)) buttons.push(h('button', { type: 'button', id: 'propose', onclick: () => act('propose-solution') }, T.proposeSolution));
      if (open || s === 'accepted') buttons.push(h('button', { type: 'button', id: 'close', class: 'secondary', onclick: () => act('close') }, T.close));
    }
    fill(actions, ...(buttons.length ? [h('h2', {}, T.actions), ...buttons] : []));
  };
  const renderTriage = () => {
    const tax = view.taxonomy || {};
    const sel = (key, list, value) => tax[list]?.length ? [h('label', { for: `t-${key}` }, T[key]),
      h('select', { id: `t-${key}`, name: key }, h('option', { value: '' }, '—'), tax[list].map((o) => h('option', { value: o.id, selected: o.id === value ? true : null }, tx(o.name))))] : [];
    const assignee = h('select', { id: 't-assignee', name: 'assigneeId' }, h('option', { value: '' }, '—'),
      (users || []).filter((u) => STAFF.has(u.role)).map((u) => h('option', { value: u.id, selected: u.id === current.assigneeId ? true : null }, u.displayName)));
    const planned = h('input', { id: 't-planned', type: 'date', name: 'plannedDate', value: current.plannedDate || '' });
    const form = h('form', { class: 'card', id: 'triage-form', onsubmit: async (e) => {
      e.preventDefault();
      const body = {};
      for (const el2 of form.querySelectorAll('select, input')) {
        const v = el2.value || null;
        const before = { category: current.category, priority: current.priority, severity: current.severity, assigneeId: current.assigneeId, plannedDate: current.plannedDate }[el2.name];
        if ((before || null) !== v) body[el2.name] = v;
      }
      if (!Object.keys(body).length) return;
      try {
        await api(`/requests/${encodeURIComponent(number)}`, { method: 'PATCH', body, headers: { 'If-Match': etag } });
        msg.textContent = T.saved;
        await load();
        renderTriage();
      } catch (ex) {
        msg.textContent = ex.status === 412 ? T.conflict : ex.message;
        if (ex.status === 412) { await load(); renderTriage(); }
      }
    } }, h('h2', {}, T.triage), h('div', { class: 'row' },
      tax.categories?.length ? h('div', {}, sel('category', 'categories', current.category)) : null,
      tax.priorities?.length ? h('div', {}, sel('priority', 'priorities', current.priority)) : null,
      tax.severities?.length ? h('div', {}, sel('severity', 'severities', current.severity)) : null,
      h('div', {}, h('label', { for: 't-assignee' }, T.assignee), assignee), h('div', {}, h('label', { for: 't-planned' }, T.planned), planned)),
    h('button', { type: 'submit', id: 'triage-save' }, T.save));
    fill(triageBox, form);
  };

  // comment (customer: public; staff: reply or internal note), attachments, work log
  const commentBody = h('textarea', { id: 'comment-body', required: true });
  const internal = staff ? h('input', { type: 'checkbox', id: 'comment-internal', style: 'width:auto' }) : null;
  const commentForm = h('form', { class: 'card', id: 'comment-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api(`/requests/${encodeURIComponent(number)}/comments`, { method: 'POST', body: { body: commentBody.value, internal: !!internal?.checked }, headers: { 'Idempotency-Key': uuid() } });
      commentBody.value = '';
      msg.textContent = T.saved;
      await load();
    } catch (ex) { msg.textContent = ex.message; }
  } }, h('h2', {}, staff ? T.publicReply : T.addComment), h('label', { for: 'comment-body' }, T.comments), commentBody,
  staff ? h('label', { for: 'comment-internal' }, internal, ' ', T.internalNote) : null,
  h('button', { type: 'submit', id: 'comment-send' }, T.send));
  const fileInput = h('input', { type: 'file', id: 'attach-files', multiple: true });
  const attachForm = h('form', { class: 'card', id: 'attach-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      for (const file of fileInput.files) {
        await api(`/requests/${encodeURIComponent(number)}/attachments?name=${encodeURIComponent(file.name)}`,
          { method: 'POST', body: file, raw: true, headers: { 'Content-Type': file.type || 'application/octet-stream', 'Idempotency-Key': uuid() } });
      }
      fileInput.value = '';
      await load();
    } catch (ex) { msg.textContent = ex.message; }
  } }, h('h2', {}, T.attachments), attachments, h('label', { for: 'attach-files' }, T.attach), fileInput, h('button', { type: 'submit' }, T.send));
  let worklogForm = null;
  if (staff) {
    const minutes = h('input', { id: 'wl-minutes', type: 'number', min: 1, max: 1440, required: true });
    const what = h('input', { id: 'wl-what', required: true });
    worklogForm = h('form', { class: 'card', id: 'worklog-form', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api(`/requests/${encodeURIComponent(number)}/worklog`, { method: 'POST', body: { minutes: Number(minutes.value), description: what.value }, headers: { 'Idempotency-Key': uuid() } });
        minutes.value = ''; what.value = ''; msg.textContent = T.saved; await load();
      } catch (ex) { msg.textContent = ex.message; }
    } }, h('h2', {}, T.worklog), h('div', { class: 'row' }, h('div', {}, h('label', { for: 'wl-minutes' }, T.minutes), minutes),
      h('div', {}, h('label', { for: 'wl-what' }, T.whatDone), what)), h('button', { type: 'submit' }, T.save));
    if (!users) { try { users = (await api('/users?limit=200')).data.items; } catch (e) { users = []; } }
  }
  fill(el, summary, msg, actions, surveyBox, triageBox, h('div', { class: 'grid' },
    h('section', { class: 'card' }, h('h2', {}, T.history), history), h('section', {}, h('h2', {}, T.comments), comments)),
  watchersBox, commentForm, attachForm, worklogForm);
  await load();
  onLive = debounce((ev) => { if (ev.ticket === number || ev.event === 'resync') { load(); say(`${number}: ${T.eventNames[ev.event] || ev.event}`); } }, 200);
  keys.reply = () => commentBody.focus();
}

async function pageQueue(el) {
  if (needSession(el)) return;
  if (!isStaff()) { go('#/requests'); return; }
  if (!users) { try { users = (await api('/users?limit=200')).data.items; } catch (e) { users = []; } }
  const tax = view.taxonomy || {};
  const status = h('select', { id: 'q-status' }, h('option', { value: 'open' }, T.open), h('option', { value: '' }, T.all),
    Object.keys(T.statusNames).map((s) => h('option', { value: s }, statusName(s))));
  const priority = h('select', { id: 'q-priority' }, h('option', { value: '' }, T.all), (tax.priorities || []).map((p) => h('option', { value: p.id }, tx(p.name))));
  const assignee = h('select', { id: 'q-assignee' }, h('option', { value: '' }, T.all), h('option', { value: session.me.id }, T.mine));
  const q = h('input', { id: 'q-search', type: 'search' });
  const body = h('tbody', { id: 'queue-rows' });
  const countdowns = [];
  let items = []; let fresh = new Set(); let lastLoad = 0;
  const OPEN = ['new', 'triage', 'in-progress', 'waiting-for-customer', 'solution-proposed', 'returned-for-rework'];
  const load = async () => {
    const p = new URLSearchParams({ limit: '100', sort: '-created' });
    (status.value === 'open' ? OPEN : status.value ? [status.value] : []).forEach((s) => p.append('status', s));
    if (priority.value) p.set('priority', priority.value);
    if (assignee.value) p.set('assignee', assignee.value);
    if (q.value) p.set('q', q.value);
    const { data } = await api(`/requests?${p}`);
    items = stamped(data.items || []);
    lastLoad = Date.now();
    draw();
  };
  const nameOf = (id) => (users || []).find((u) => u.id === id)?.displayName || '—';
  const draw = () => {
    countdowns.length = 0;
    fill(body, ...items.map((t) => {
      const cell = h('td', { 'data-label': T.due });
      countdowns.push([cell, t]);
      return h('tr', { 'data-number': t.number, class: fresh.has(t.number) ? 'fresh' : null },
        h('td', { 'data-label': T.number }, h('a', { href: `#/requests/${t.number}`, class: 'queue-link' }, t.number)),
        h('td', { 'data-label': T.subject }, t.subject),
        h('td', { 'data-label': T.status }, statusBadge(t.status)),
        h('td', { 'data-label': T.priority }, t.priority ? taxName('priorities', t.priority) : '—'),
        h('td', { 'data-label': T.assignee, class: 'hide-narrow' }, nameOf(t.assigneeId)),
        h('td', { 'data-label': T.planned, class: 'hide-narrow' }, t.plannedDate ? fmt(t.plannedDate, true) : '—'), cell);
    }));
    if (!items.length) body.append(h('tr', {}, h('td', { colspan: 7 }, T.noRequests)));
    tick();
  };
  const tick = () => { for (const [cell, t] of countdowns) { const d = nearestDeadline(t.deadlines); fill(cell, d ? slaBadge(d, t._fetchedAt) : '—'); } };
  for (const f of [status, priority, assignee]) f.addEventListener('change', load);
  q.addEventListener('input', debounce(load, 300));
  fill(el, h('h1', {}, T.queue),
    h('div', { class: 'card row', role: 'search' },
      h('div', {}, h('label', { for: 'q-status' }, T.status), status), h('div', {}, h('label', { for: 'q-priority' }, T.priority), priority),
      h('div', {}, h('label', { for: 'q-assignee' }, T.assignee), assignee), h('div', {}, h('label', { for: 'q-search' }, T.search), q)),
    h('p', { class: 'muted', id: 'shortcuts' }),
    h('table', { class: 'responsive', id: 'queue' }, h('caption', { class: 'sr-only' }, T.queue),
      h('thead', {}, h('tr', {}, [T.number, T.subject, T.status, T.priority].map((x) => h('th', { scope: 'col' }, x)),
        h('th', { scope: 'col', class: 'hide-narrow' }, T.assignee), h('th', { scope: 'col', class: 'hide-narrow' }, T.planned), h('th', { scope: 'col' }, T.due))), body));
  el.querySelector('#shortcuts').innerHTML = T.shortcuts;   // static, translated markup only
  await load();
  render.timer = setInterval(() => { tick(); if (Date.now() - lastLoad > 60000) { lastLoad = Date.now(); load(); } }, 1000);
  onLive = debounce((ev) => { fresh = new Set([ev.ticket]); load(); say(`${ev.ticket}: ${T.eventNames[ev.event] || ev.event}`); }, 250);
  keys.search = () => q.focus();
}

async function pageNotice(el) {
  if (needSession(el)) return;
  const err = h('p', { role: 'status', id: 'notice-msg' });
  const kind = h('select', { id: 'n-kind' }, Object.entries(T.noticeKinds).map(([k, v]) => h('option', { value: k }, v)));
  const titleRu = h('input', { id: 'n-title-ru', required: true }); const titleEn = h('input', { id: 'n-title-en' });
  const bodyRu = h('textarea', { id: 'n-body-ru', required: true }); const bodyEn = h('textarea', { id: 'n-body-en' });
  const form = h('form', { class: 'card', id: 'notice-form', onsubmit: async (e) => {
    e.preventDefault();
    const title = { ru: titleRu.value }; if (titleEn.value) title.en = titleEn.value;
    const body = { ru: bodyRu.value }; if (bodyEn.value) body.en = bodyEn.value;
    try {
      await api('/notices', { method: 'POST', body: { kind: kind.value, audience: 'all-customers', title, body }, headers: { 'Idempotency-Key': uuid() } });
      err.textContent = T.published; form.reset();
    } catch (ex) { err.textContent = ex.message; }
  } }, h('label', { for: 'n-kind' }, T.noticeKind), kind, h('label', { for: 'n-title-ru' }, T.titleRu), titleRu, h('label', { for: 'n-title-en' }, T.titleEn), titleEn,
  h('label', { for: 'n-body-ru' }, T.bodyRu), bodyRu, h('label', { for: 'n-body-en' }, T.bodyEn), bodyEn, h('button', { type: 'submit' }, T.publish), err);
  fill(el, h('h1', {}, T.noticeTitle), form);
}

function slaChart(groups) {
  // stacked bars per category x priority: met (green) and breached (red), summed over target types
  const rows = groups.map((g) => {
    let met = 0; let breached = 0;
    for (const t of Object.values(g.targets || {})) { met += t.met || 0; breached += t.breached || 0; }
    return { label: `${g.category ? taxName('categories', g.category) : '—'} / ${g.priority ? taxName('priorities', g.priority) : '—'}`, met, breached, requests: g.requests };
  });
  const max = Math.max(1, ...rows.map((r) => Math.max(r.met + r.breached, r.requests)));
  const W = 640; const bar = 26; const left = 220; const H = rows.length * (bar + 10) + 40;
  const NS = 'http://www.w3.org/2000/svg';
  const s = (tag, attrs, text) => { const e = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text !== undefined) e.textContent = text; return e; };
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-labelledby': 'chart-title', id: 'sla-chart' });
  svg.append(s('title', { id: 'chart-title' }, `${T.slaReport}: ${T.metCount} / ${T.breachedCount}`));
  rows.forEach((r, i) => {
    const y = 10 + i * (bar + 10);
    const scale = (W - left - 60) / max;
    svg.append(s('text', { x: left - 8, y: y + bar * 0.7, 'text-anchor': 'end', 'font-size': 13, fill: '#1b1f24' }, r.label.length > 32 ? `${r.label.slice(0, 31)}…` : r.label));
    svg.append(s('rect', { x: left, y, width: Math.max(0, r.requests * scale), height: bar, fill: '#e6ebf2' }));
    svg.append(s('rect', { x: left, y: y + 4, width: r.met * scale, height: bar - 8, fill: '#1e6b34' }));
    svg.append(s('rect', { x: left + r.met * scale, y: y + 4, width: r.breached * scale, height: bar - 8, fill: '#b00020' }));
    svg.append(s('text', { x: left + Math.max(r.requests, r.met + r.breached) * scale + 6, y: y + bar * 0.7, 'font-size': 13, fill: '#1b1f24' }, `${r.met}/${r.breached}/${r.requests}`));
  });
  const ly = H - 18;
  [['#1e6b34', T.metCount], ['#b00020', T.breachedCount], ['#e6ebf2', T.requestsCount]].forEach(([c, l], i) => {
    svg.append(s('rect', { x: left + i * 140, y: ly, width: 14, height: 14, fill: c, stroke: '#8a939e' }));
    svg.append(s('text', { x: left + i * 140 + 20, y: ly + 12, 'font-size': 13, fill: '#1b1f24' }, l));
  });
  return svg;
}
// The report's satisfaction figures: totals, the 1-5 spread and one row per agent.
function satisfactionReport(sat) {
  if (!sat) return null;
  const pct = (r) => (r == null ? '—' : `${Math.round(r * 1000) / 10}%`);
  const avg = (a) => (a == null ? '—' : a.toFixed(2));
  const spread = (d) => [1, 2, 3, 4, 5].map((n) => `${n}: ${d?.[n] ?? 0}`).join(' · ');
  const cols = [T.assignee, T.surveysSent, T.surveysAnswered, T.responseRate, T.averageRating, T.distribution];
  return h('section', { id: 'satisfaction-report' }, h('h3', {}, T.satisfaction),
    h('dl', { class: 'grid' }, [[T.surveysSent, sat.sent], [T.surveysAnswered, sat.answered], [T.responseRate, pct(sat.responseRate)],
      [T.averageRating, avg(sat.averageRating)], [T.distribution, spread(sat.distribution)]]
      .map(([k, v]) => h('div', {}, h('dt', { class: 'muted' }, k), h('dd', { 'data-satisfaction': k }, v)))),
    sat.agents?.length ? h('table', { class: 'responsive', id: 'satisfaction-agents' },
      h('thead', {}, h('tr', {}, cols.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, sat.agents.map((a) => h('tr', {}, h('td', { 'data-label': cols[0] }, a.agentName || T.unassigned),
        h('td', { 'data-label': cols[1] }, a.sent), h('td', { 'data-label': cols[2] }, a.answered),
        h('td', { 'data-label': cols[3] }, pct(a.responseRate)), h('td', { 'data-label': cols[4] }, avg(a.averageRating)),
        h('td', { 'data-label': cols[5] }, spread(a.distribution)))))) : null);
}

async function pageAdmin(el) {
  if (needSession(el)) return;
  const today = new Date(); const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
  const from = h('input', { id: 'r-from', type: 'date', value: first.toISOString().slice(0, 10) });
  const to = h('input', { id: 'r-to', type: 'date', value: today.toISOString().slice(0, 10) });
  const out = h('div', { id: 'sla-report' });
  const load = async () => {
    try {
      const { data } = await api(`/reports/sla?from=${from.value}&to=${to.value}`);
      const groups = data.groups || [];
      fill(out, groups.length ? slaChart(groups) : h('p', {}, T.noRequests),
        h('table', { class: 'responsive' }, h('thead', {}, h('tr', {}, [T.category, T.priority, T.requestsCount, T.metCount, T.breachedCount, T.median].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, groups.map((g) => {
            let met = 0; let breached = 0; for (const t of Object.values(g.targets || {})) { met += t.met || 0; breached += t.breached || 0; }
            return h('tr', {}, h('td', { 'data-label': T.category }, g.category ? taxName('categories', g.category) : '—'), h('td', { 'data-label': T.priority }, g.priority ? taxName('priorities', g.priority) : '—'),
              h('td', { 'data-label': T.requestsCount }, g.requests), h('td', { 'data-label': T.metCount }, met), h('td', { 'data-label': T.breachedCount }, breached),
              h('td', { 'data-label': T.median }, g.reactionMedianSeconds == null ? '—' : hms(g.reactionMedianSeconds)));
          }))),
        satisfactionReport(data.satisfaction),
        h('p', {}, h('a', { href: '#', onclick: async (e) => { e.preventDefault(); const r = await api(`/reports/sla?from=${from.value}&to=${to.value}&format=csv`, { raw: 'blob' });
          const url = URL.createObjectURL(new Blob([r.data], { type: 'text/csv' })); const a = h('a', { href: url, download: `sla-${tenant}.csv` }); document.body.append(a); a.click(); a.remove(); } }, 'CSV')));
    } catch (ex) { fill(out, h('p', { class: 'error' }, ex.message)); }
  };
  // Webhook endpoints and their delivery log (tenant admins; GET .../webhooks, .../attempts).
  const hooks = h('section', { class: 'card', id: 'webhooks' }, h('h2', {}, T.webhooks));
  const pick = (o, ...keys) => { for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k]; return null; };
  const loadHooks = async () => {
    try {
      const { data } = await api('/webhooks?limit=50');
      const log = h('div', { id: 'webhook-log' });
      const showLog = async (hook) => {
        const r = await api(`/webhooks/${hook.id}/attempts?limit=50`);
        const rows = r.data.items || [];
        fill(log, h('h3', {}, T.deliveryLog, ': ', hook.url), rows.length ? h('table', { class: 'responsive' },
          h('thead', {}, h('tr', {}, [T.when, 'HTTP', T.latency, T.problem].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, rows.map((a) => h('tr', {}, h('td', { 'data-label': T.when }, fmt(pick(a, 'attemptedAt', 'attempted_at'))),
            h('td', { 'data-label': 'HTTP' }, pick(a, 'responseStatus', 'response_status') ?? '—'),
            h('td', { 'data-label': T.latency }, `${pick(a, 'latencyMs', 'latency_ms') ?? '—'} ms`),
            h('td', { 'data-label': T.problem }, pick(a, 'error') || '—'))))) : h('p', { class: 'muted' }, T.noDeliveries));
      };
      const items = data.items || [];
      fill(hooks, h('h2', {}, T.webhooks), items.length ? h('table', { class: 'responsive' },
        h('thead', {}, h('tr', {}, ['URL', T.events, T.status, T.lastSuccess, ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, items.map((w) => h('tr', { 'data-webhook': w.id }, h('td', { 'data-label': 'URL' }, w.url),
          h('td', { 'data-label': T.events }, (w.eventTypes || []).join(', ')),
          h('td', { 'data-label': T.status }, w.enabled ? (w.failingSince ? `${T.failingSince} ${fmt(w.failingSince)}` : T.enabled) : `${T.disabled}${w.disabledReason ? `: ${w.disabledReason}` : ''}`),
          h('td', { 'data-label': T.lastSuccess }, fmt(w.lastSuccessAt)),
          h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => showLog(w).catch((e) => say(e.message)) }, T.deliveryLog),
            h('button', { type: 'button', class: 'secondary', onclick: async () => {
              try { await api(`/webhooks/${w.id}/test`, { method: 'POST' }); say(T.saved); setTimeout(() => showLog(w), 1500); } catch (e) { say(e.message); }
            } }, T.sendTest)))))) : h('p', { class: 'muted' }, T.noWebhooks), log);
    } catch (e) {
      hooks.hidden = e.status === 404 || e.status === 403;   // no webhook API on this node, or not a tenant admin
      fill(hooks, h('h2', {}, T.webhooks), h('p', { class: 'error' }, e.message));
    }
  };
  // Mail quarantine (GET .../mail/inbound?state=quarantined; retry is for tenant admins).
  const quarantine = h('section', { class: 'card', id: 'quarantine' }, h('h2', {}, T.quarantine));
  const loadQuarantine = async () => {
    try {
      const { data } = await api('/mail/inbound?state=quarantined&limit=50');
      const items = data.items || [];
      fill(quarantine, h('h2', {}, T.quarantine), items.length ? h('table', { class: 'responsive' },
        h('thead', {}, h('tr', {}, [T.received, T.sender, T.subject, T.problem, ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, items.map((m) => h('tr', { 'data-mail': m.id }, h('td', { 'data-label': T.received }, fmt(m.receivedAt)),
          h('td', { 'data-label': T.sender }, m.sender || '—'), h('td', { 'data-label': T.subject }, m.subject || '—'),
          h('td', { 'data-label': T.problem }, m.problem || '—'),
          h('td', {}, session.me?.role === 'tenant_admin' ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
            try { await api(`/mail/inbound/${m.id}/retry`, { method: 'POST' }); } catch (e) { say(e.message); }
            loadQuarantine();
          } }, T.retry) : null))))) : h('p', { class: 'muted' }, T.quarantineEmpty));
    } catch (e) {
      quarantine.hidden = e.status === 404;   // no mail API on this node
      fill(quarantine, h('h2', {}, T.quarantine), h('p', { class: 'error' }, e.message));
    }
  };
  fill(el, h('h1', {}, T.admin),
    h('section', { class: 'card' }, h('h2', {}, T.slaReport), h('div', { class: 'row' }, h('div', {}, h('label', { for: 'r-from' }, T.from), from),
      h('div', {}, h('label', { for: 'r-to' }, T.to), to), h('div', {}, h('button', { type: 'button', onclick: load }, T.show))), out),
    h('section', { class: 'card' }, h('h2', {}, T.config), h('pre', { id: 'config', tabindex: '0' }, JSON.stringify(view, null, 2))),
    quarantine, hooks);
  await load();
  await loadQuarantine();
  await loadHooks();
}

// ---------- keyboard ----------
const keys = {};
document.addEventListener('keydown', (e) => {
  const tag = (e.target.tagName || '').toLowerCase();
  if (['input', 'textarea', 'select'].includes(tag) || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === '/' && keys.search) { e.preventDefault(); keys.search(); return; }
  if (e.key === 'r' && keys.reply && location.hash.startsWith('#/requests/')) { e.preventDefault(); keys.reply(); return; }
  if (e.key === 'j' || e.key === 'k') {
    const links = [...document.querySelectorAll('#queue a.queue-link, #requests tbody a')];
    if (!links.length) return;
    const i = links.indexOf(document.activeElement);
    const next = e.key === 'j' ? Math.min(links.length - 1, i + 1) : Math.max(0, i - 1);
    links[next].focus();
    e.preventDefault();
  }
});

// ---------- boot ----------
async function boot() {
  document.getElementById('lang').addEventListener('click', () => {
    lang = lang === 'ru' ? 'en' : 'ru'; T = STRINGS[lang]; localStorage.setItem(LANG_KEY, lang);
    const u = new URL(location.href); if (u.searchParams.has('lang')) { u.searchParams.set('lang', lang); history.replaceState(null, '', u); }
    applyBranding(); render.focusMain = false; render();
  });
  // the skip link focuses the content without touching the hash (the hash is the page route)
  document.getElementById('skip').addEventListener('click', (e) => { e.preventDefault(); main().focus(); });
  document.getElementById('signout').addEventListener('click', async () => {
    // ends the session on every node (its tokens stop working), then forgets it here
    if (session) await api('/me/sign-out', { method: 'POST' }).catch(() => {});
    signedOutHere();
  });
  const res = await fetch(`/api/v1/tenants/${encodeURIComponent(tenant)}`, { headers: { 'Accept-Language': lang } });
  view = await res.json();
  applyBranding();
  if (session && !session.me) {
    try { session.me = (await api('/me')).data; saveSession(session); } catch (e) { saveSession(null); }
  }
  if (session) {
    // Check the stored session against this tenant before showing anything from it.
    try { await api('/me'); } catch (e) { if (e.status === 401 || e.status === 403) { saveSession(null); flash = T.wrongTenant; } }
  }
  startLive();
  window.addEventListener('hashchange', () => render());
  render.focusMain = false;
  await render();
  document.body.dataset.ready = 'true';
}
boot();
