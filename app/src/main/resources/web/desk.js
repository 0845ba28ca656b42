// The desk's controls and tables beside the stream (app.js): who the token is (GET /api/v1/me) and,
// by the routes its role may use, the controls it is offered — halt / reduce / resume and cancel-all
// per scope, the kill switch (after a confirmation naming the scope), the limits a risk officer may
// edit, each strategy's start, stop and parameters for a trader. Every change carries the reason field
// and its answer (applied: old → new; refused: the engine's message) is listed under the controls.
// Polled tables: open orders and our fills (execution's published view), risk's rejects and the
// alerts they raise, the audit trail. Owns only the DOM it builds; server text goes into textContent.
'use strict';

(() => {
  const POLL_MS = 1000;
  const el = (id) => document.getElementById(id);

  const desk = {
    token: null,
    role: null,
    allowed: new Set(), // "METHOD /path/{template}" the role may use
    instruments: [],    // [{venue, symbol, pair}]
    strategies: [],     // the last GET /api/v1/strategies answer's list
    rejects: null,      // the last rejects per check, by check name
    auditSeen: new Set(),
    strategyStates: new Map(),
    timer: null,
  };

  function may(route) {
    return desk.allowed.has(route);
  }

  // ---- REST --------------------------------------------------------------------------------

  async function api(method, path, body) {
    const headers = { 'Authorization': 'Bearer ' + desk.token, 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method: method, headers: headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json = null;
    try { json = await response.json(); } catch (ignored) { /* no body */ }
    return { status: response.status, ok: response.ok, body: json };
  }

  /** a change: refused before sending without a reason; its answer listed whatever it is */
  async function change(label, method, path, body) {
    const reason = el('reason').value.trim();
    if (!reason) {
      answer(label, false, 'not sent: enter a reason first');
      el('reason').focus();
      return null;
    }
    let r;
    try {
      r = await api(method, path, Object.assign({}, body, { reason: reason }));
    } catch (e) {
      answer(label, false, 'not sent: ' + e.message);
      return null;
    }
    if (r.ok && r.body && r.body.applied) {
      answer(label, true, 'applied: ' + show(r.body.old) + ' → ' + show(r.body.new) +
        (r.body.message ? ' (' + r.body.message + ')' : '') + ' · event ' + r.body.sequence);
    } else {
      answer(label, false, 'refused (HTTP ' + r.status + '): ' + (r.body && r.body.error ? r.body.error : 'no answer') +
        (r.body && r.body.field ? ' [field ' + r.body.field + ']' : ''));
    }
    poll();
    return r;
  }

  function show(v) {
    return v === null || v === undefined ? '–' : String(v);
  }

  function answer(label, applied, textValue) {
    const li = document.createElement('li');
    li.className = applied ? 'answer-applied' : 'answer-refused';
    li.dataset.applied = String(applied);
    li.textContent = new Date().toISOString().slice(11, 19) + ' ' + label + ' — ' + textValue;
    const list = el('answers');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 30) list.removeChild(list.lastChild);
  }

  // ---- who the token is ----------------------------------------------------------------------

  async function signIn(token) {
    desk.token = token;
    desk.allowed = new Set();
    desk.role = null;
    // what the last token was offered goes: the new one's rows are built for its role
    el('limits').tBodies[0].replaceChildren();
    el('strategy-controls').replaceChildren();
    el('answers').replaceChildren();
    el('confirm').hidden = true;
    if (!token) {
      stop();
      return;
    }
    let r;
    try {
      r = await api('GET', '/api/v1/me');
    } catch (e) {
      return;
    }
    if (!r.ok || !r.body || desk.token !== token) return;
    desk.role = r.body.role;
    desk.allowed = new Set(Array.isArray(r.body.allowed) ? r.body.allowed : []);
    const who = el('whoami');
    who.textContent = 'signed in as ' + r.body.principal + ' (' + r.body.role + ')';
    who.dataset.role = r.body.role;
    await loadInstruments();
    offerControls();
    clearInterval(desk.timer);
    desk.timer = setInterval(poll, POLL_MS);
    poll();
  }

  function stop() {
    clearInterval(desk.timer);
    desk.timer = null;
    el('controls-section').hidden = true;
    el('whoami').textContent = 'not signed in';
    el('whoami').dataset.role = '';
  }

  async function loadInstruments() {
    const r = await api('GET', '/api/v1/feeds');
    if (!r.ok || !r.body) return;
    desk.instruments = (r.body.feeds || []).map((f) => ({ venue: f.venue, symbol: f.symbol, pair: f.pair }));
    const venues = [...new Set(desk.instruments.map((i) => i.venue))];
    el('scope-venue').replaceChildren(...venues.map((v) => option(v, v)));
    el('scope-instrument').replaceChildren(...desk.instruments.map((i) => option(i.venue + ' ' + i.symbol,
      i.venue + '\n' + i.symbol)));
    scopeChanged();
  }

  function option(label, value) {
    const o = document.createElement('option');
    o.textContent = label;
    o.value = value;
    return o;
  }

  /** a control is offered only when the role may use its route; the section only when one is */
  function offerControls() {
    let any = false;
    for (const b of document.querySelectorAll('#controls-section [data-needs]')) {
      const ok = may(b.dataset.needs);
      b.hidden = !ok;
      any = any || ok;
    }
    el('scope-controls').hidden = !any;
    const editsLimits = may('PUT /api/v1/limits/{name}') || may('PUT /api/v1/strategies/{id}/limits/{name}');
    const runsStrategies = may('POST /api/v1/strategies/{id}/start');
    el('controls-section').hidden = !(any || editsLimits || runsStrategies);
    document.body.dataset.role = desk.role || '';
  }

  // ---- scope controls ------------------------------------------------------------------------

  function scope() {
    const kind = el('scope-kind').value;
    if (kind === 'venue') {
      const venue = el('scope-venue').value;
      return { body: { scope: 'venue', venue: venue }, name: 'venue ' + venue };
    }
    if (kind === 'instrument') {
      const [venue, symbol] = el('scope-instrument').value.split('\n');
      return { body: { scope: 'instrument', venue: venue, symbol: symbol }, name: venue + ' ' + symbol };
    }
    return { body: { scope: 'global' }, name: 'global (every venue and instrument)' };
  }

  function scopeChanged() {
    const kind = el('scope-kind').value;
    el('scope-venue').hidden = kind !== 'venue';
    el('scope-instrument').hidden = kind !== 'instrument';
  }

  function setState(state) {
    const s = scope();
    change(state + ' ' + s.name, 'PUT', '/api/v1/trading-states', Object.assign({ state: state }, s.body));
  }

  function askKill() {
    const s = scope();
    el('confirm-text').textContent = 'Kill switch on ' + s.name + ': halt it and cancel every open order of ours in it?';
    el('confirm').dataset.scope = s.name;
    el('confirm').hidden = false;
  }

  function confirmKill() {
    el('confirm').hidden = true;
    const s = scope();
    change('kill switch ' + s.name, 'POST', '/api/v1/kill-switch', s.body);
  }

  // ---- polled tables -------------------------------------------------------------------------

  function cell(row, value, cls) {
    const td = document.createElement('td');
    td.textContent = value === null || value === undefined || value === '' ? '–' : String(value);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function empty(columns, label) {
    const tr = document.createElement('tr');
    const td = cell(tr, label, 'muted');
    td.colSpan = columns;
    return tr;
  }

  function utc(nanos) {
    return typeof nanos === 'number' && nanos > 0 ? new Date(nanos / 1e6).toISOString().slice(11, 23) : '–';
  }

  async function poll() {
    if (!desk.token) return;
    try {
      const [orders, fills, strategies, limits, rejects, audit] = await Promise.all([
        api('GET', '/api/v1/orders/open'), api('GET', '/api/v1/fills'), api('GET', '/api/v1/strategies'),
        api('GET', '/api/v1/limits'), api('GET', '/api/v1/risk/rejects'), api('GET', '/api/v1/audit/recent?limit=30')]);
      if (orders.ok) renderOrders(orders.body);
      if (fills.ok) renderFills(fills.body);
      if (strategies.ok) renderStrategyControls(strategies.body);
      if (limits.ok) renderLimits(limits.body);
      if (rejects.ok) renderRejects(rejects.body);
      if (audit.ok) renderAudit(audit.body);
      document.dispatchEvent(new CustomEvent('mme:desk', { detail: { fills: fills.body, strategies: strategies.body } }));
    } catch (e) {
      // the connection line and the stream report a lost engine
    }
  }

  function renderOrders(body) {
    const list = Array.isArray(body && body.orders) ? body.orders : [];
    const rows = list.map((o) => {
      const tr = document.createElement('tr');
      tr.dataset.order = o.id;
      cell(tr, o.venue);
      cell(tr, o.symbol);
      cell(tr, o.strategy);
      cell(tr, o.side, o.side === 'buy' ? 'bid' : 'ask');
      cell(tr, o.price, 'num');
      cell(tr, o.size, 'num');
      cell(tr, o.filled, 'num');
      cell(tr, o.state);
      cell(tr, typeof o.ageMillis === 'number' ? (o.ageMillis / 1000).toFixed(1) : null, 'num');
      return tr;
    });
    el('open-orders').tBodies[0].replaceChildren(...(rows.length ? rows : [empty(9, 'no open orders')]));
  }

  function renderFills(body) {
    const list = Array.isArray(body && body.fills) ? body.fills.slice().reverse() : [];
    const rows = list.slice(0, 30).map((f) => {
      const tr = document.createElement('tr');
      cell(tr, utc(f.timeNanos));
      cell(tr, f.strategy);
      cell(tr, f.venue);
      cell(tr, f.symbol);
      cell(tr, f.side, f.side === 'buy' ? 'bid' : 'ask');
      cell(tr, f.price, 'num');
      cell(tr, f.size, 'num');
      return tr;
    });
    el('fills').tBodies[0].replaceChildren(...(rows.length ? rows : [empty(7, 'no fills yet')]));
  }

  function alert(kind, textValue) {
    const li = document.createElement('li');
    li.className = 'alert alert-' + kind;
    li.dataset.kind = kind;
    li.textContent = new Date().toISOString().slice(11, 19) + ' ' + textValue;
    const list = el('alerts');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 50) list.removeChild(list.lastChild);
  }

  /** risk rejects as they happen: the increase per check since the last poll */
  function renderRejects(body) {
    const now = new Map((body && Array.isArray(body.byCheck) ? body.byCheck : []).map((c) => [c.check, c]));
    if (desk.rejects) {
      for (const [check, c] of now) {
        const before = desk.rejects.get(check);
        const added = c.rejected - (before ? before.rejected : 0);
        if (added > 0) alert('reject', 'risk rejected ' + added + ' intent' + (added === 1 ? '' : 's') + ': ' + c.label);
      }
    }
    desk.rejects = now;
  }

  function renderAudit(body) {
    const changes = Array.isArray(body && body.changes) ? body.changes : [];
    const rows = changes.slice().reverse().map((c) => {
      const tr = document.createElement('tr');
      const target = [c.scope, c.venue, c.symbol, c.strategy].filter((x) => typeof x === 'string' && x).join(' ');
      cell(tr, typeof c.time === 'string' ? c.time.slice(11, 19) : utc(c.timestampNanos));
      cell(tr, c.principal);
      cell(tr, c.kind + (c.key ? ' ' + c.key : ''));
      cell(tr, target);
      cell(tr, show(c.oldValue) + ' → ' + show(c.newValue));
      cell(tr, c.applied ? 'applied' : 'refused' + (c.message ? ': ' + c.message : ''), c.applied ? '' : 'neg');
      cell(tr, c.reason);
      const key = JSON.stringify([c.sequence, c.kind, target, c.principal, c.requestId]);
      if (!desk.auditSeen.has(key)) {
        desk.auditSeen.add(key);
        // the engine's own changes (principal risk: a loss limit reached) and every refusal are alerts
        if (desk.auditPrimed && (c.principal === 'risk' || c.applied === false)) {
          alert(c.applied === false ? 'refused' : 'risk', (c.principal || '?') + ': ' + c.kind + ' ' + target + ' ' +
            show(c.oldValue) + ' → ' + show(c.newValue) + (c.message ? ' (' + c.message + ')' : ''));
        }
      }
      return tr;
    });
    desk.auditPrimed = true;
    el('audit').tBodies[0].replaceChildren(...(rows.length ? rows : [empty(7, 'no changes yet')]));
  }

  // ---- limits (a risk officer edits them) ------------------------------------------------------

  const STRATEGY_LIMITS = { strategyMaxPosition: 'maxPosition', strategyDailyLossLimit: 'dailyLossLimit',
    strategyMaxOpenOrders: 'maxOpenOrders' };

  function limitKey(l) {
    return l.name + '|' + l.target;
  }

  function renderLimits(body) {
    const list = Array.isArray(body && body.limits) ? body.limits : [];
    const tbody = el('limits').tBodies[0];
    const editable = may('PUT /api/v1/limits/{name}');
    el('limits').classList.toggle('editable', editable);
    const existing = new Map([...tbody.rows].map((r) => [r.dataset.limit, r]));
    const rows = list.map((l) => {
      const key = limitKey(l);
      let tr = existing.get(key);
      if (!tr) {
        tr = document.createElement('tr');
        tr.dataset.limit = key;
        cell(tr, l.name);
        cell(tr, l.scope);
        cell(tr, l.target);
        cell(tr, '', 'num limit-value');
        cell(tr, l.unit);
        const edit = document.createElement('td');
        edit.className = 'edit-col';
        if (editable) {
          const input = document.createElement('input');
          input.type = 'number';
          input.min = '0';
          input.step = '1';
          input.className = 'limit-input';
          input.setAttribute('aria-label', 'new value of ' + l.name + ' ' + l.target);
          const set = document.createElement('button');
          set.type = 'button';
          set.textContent = 'Set';
          set.className = 'limit-set';
          set.addEventListener('click', () => setLimit(l, input.value));
          edit.append(input, ' ', set);
        }
        tr.appendChild(edit);
      }
      tr.querySelector('.limit-value').textContent = l.value === 9223372036854775807 ? 'none' : String(l.value);
      return tr;
    });
    tbody.replaceChildren(...(rows.length ? rows : [empty(6, 'no limits')]));
  }

  function setLimit(l, text) {
    if (!/^\d+$/.test(String(text).trim())) {
      answer('limit ' + l.name + ' ' + l.target, false, 'not sent: the value must be a whole number ≥ 0 in ' + l.unit);
      return;
    }
    const value = Number(String(text).trim());
    if (l.scope === 'strategy') {
      change('limit ' + l.name + ' ' + l.target, 'PUT', '/api/v1/strategies/' + encodeURIComponent(l.strategy) + '/limits/' +
        STRATEGY_LIMITS[l.name], { value: value });
      return;
    }
    const body = { value: value };
    if (l.scope === 'instrument' || l.scope === 'venue') body.venue = l.venue;
    if (l.scope === 'instrument') body.symbol = l.symbol;
    if (l.scope === 'asset') {
      // an asset limit names one instrument of that base asset
      const i = desk.instruments.find((x) => typeof x.pair === 'string' && x.pair.split('/')[0] === l.asset);
      if (i) {
        body.venue = i.venue;
        body.symbol = i.symbol;
      }
    }
    change('limit ' + l.name + ' ' + l.target, 'PUT', '/api/v1/limits/' + encodeURIComponent(l.name), body);
  }

  // ---- strategies (a trader starts, stops and sets parameters) -----------------------------------

  function renderStrategyControls(body) {
    const list = Array.isArray(body && body.strategies) ? body.strategies : [];
    for (const s of list) {
      const before = desk.strategyStates.get(s.id);
      if (before && before !== s.state && s.state === 'halted') {
        alert('strategy', 'strategy ' + s.id + ' halted' + (s.haltReason ? ': ' + s.haltReason : ''));
      }
      desk.strategyStates.set(s.id, s.state);
    }
    const container = el('strategy-controls');
    if (!may('POST /api/v1/strategies/{id}/start')) {
      container.replaceChildren();
      return;
    }
    for (const s of list) {
      let box = container.querySelector('[data-strategy="' + CSS.escape(s.id) + '"]');
      if (!box) {
        box = document.createElement('div');
        box.className = 'strategy-box';
        box.dataset.strategy = s.id;
        const name = document.createElement('span');
        name.className = 'strategy-name';
        const start = button('Start', 'strategy-start', () =>
          change('start ' + s.id, 'POST', '/api/v1/strategies/' + encodeURIComponent(s.id) + '/start', {}));
        const stopButton = button('Stop', 'strategy-stop', () =>
          change('stop ' + s.id, 'POST', '/api/v1/strategies/' + encodeURIComponent(s.id) + '/stop', {}));
        const key = document.createElement('select');
        key.className = 'parameter-key';
        key.setAttribute('aria-label', 'parameter of ' + s.id);
        for (const k of Object.keys(s.parameters || {})) key.appendChild(option(k, k));
        const value = document.createElement('input');
        value.type = 'number';
        value.step = '1';
        value.className = 'parameter-value';
        value.setAttribute('aria-label', 'new value');
        const set = button('Set parameter', 'parameter-set', () => {
          if (!/^-?\d+$/.test(value.value.trim())) {
            answer('parameter ' + s.id + ' ' + key.value, false, 'not sent: the value must be a whole number in the parameter\'s unit');
            return;
          }
          change('parameter ' + s.id + ' ' + key.value, 'PUT', '/api/v1/strategies/' + encodeURIComponent(s.id) + '/parameters/' +
            encodeURIComponent(key.value), { value: Number(value.value.trim()) });
        });
        const current = document.createElement('span');
        current.className = 'parameter-current muted';
        key.addEventListener('change', () => { current.textContent = 'now ' + show((desk.params[s.id] || {})[key.value]); });
        box.append(name, ' ', start, ' ', stopButton, ' ', key, ' ', current, ' ', value, ' ', set);
        container.appendChild(box);
      }
      desk.params = desk.params || {};
      desk.params[s.id] = s.parameters || {};
      box.querySelector('.strategy-name').textContent = s.id + ' (' + s.state + ')';
      box.querySelector('.parameter-current').textContent = 'now ' + show(desk.params[s.id][box.querySelector('.parameter-key').value]);
    }
  }

  function button(label, cls, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.className = cls;
    b.addEventListener('click', onClick);
    return b;
  }

  // ---- start -------------------------------------------------------------------------------------

  document.addEventListener('mme:session', (e) => signIn(e.detail && e.detail.token));
  document.addEventListener('DOMContentLoaded', () => {
    el('scope-kind').addEventListener('change', scopeChanged);
    el('halt').addEventListener('click', () => setState('HALTED'));
    el('reduce').addEventListener('click', () => setState('REDUCING'));
    el('resume').addEventListener('click', () => setState('ACTIVE'));
    el('cancel-all').addEventListener('click', () => {
      const s = scope();
      change('cancel all ' + s.name, 'POST', '/api/v1/cancel-all', s.body);
    });
    el('kill-switch').addEventListener('click', askKill);
    el('confirm-yes').addEventListener('click', confirmKill);
    el('confirm-no').addEventListener('click', () => { el('confirm').hidden = true; });
  });
})();
