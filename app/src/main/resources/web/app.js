// The mme operator page: learns the instruments from GET /api/v1/feeds, then follows the streaming
// API (/api/v1/stream, protocol v1, docs/STREAMING.md): per-venue and consolidated L2 books (a snapshot,
// then deltas applied here), our quotes, positions and PnL, trades, risk's trading state per scope (the
// badges) and the server's status messages. Every data message carries its channel's id and seq: a
// delta or trades message that is not seq + 1 of the last is a gap, recovered by resubscribing (a new
// snapshot). Plain browser JavaScript, no build step, nothing
// loaded from elsewhere. The token is kept in sessionStorage and sent in an Authorization header or
// the stream's first message, never in a URL. Server text only ever goes into textContent.
// It tells the desk's controls (desk.js) and the charts (charts.js) what it learns through events on
// document: 'mme:session' {token} (null: signed out), 'mme:message' (every data message applied) and
// 'mme:book' {key, bids, asks} (a book's top levels after each update, best first).
'use strict';

(() => {
  const TOKEN_KEY = 'mme.apiToken';
  const STREAM_PATH = '/api/v1/stream';
  const FEEDS_PATH = '/api/v1/feeds';
  const LEVELS = 10;
  const BACKOFF_MIN_MS = 500;
  const BACKOFF_MAX_MS = 30000;
  const STALE_MS = 5000;
  const MAX_TRADES = 50;

  const el = (id) => document.getElementById(id);

  const session = {
    token: null,
    wanted: false,      // the operator asked for a connection (reconnect while true)
    ws: null,
    attempt: 0,         // failed attempts since the last message received
    retryTimer: null,
    generation: 0,      // bumps on every connect/disconnect: late callbacks of an old socket are ignored
  };
  /** key "venue:symbol" -> {venue, symbol, pair} in the order learned */
  const instruments = new Map();
  /** consolidated pairs ("BTC/USD") in the order learned */
  const pairs = new Set();
  /** book key -> {card, lastUpdate, bids, asks} (bids, asks: price text -> size text, as the deltas left them) */
  const books = new Map();
  /** stream id -> {seq, awaiting}: the last seq applied, and whether a resubscribe's snapshot is awaited */
  const streams = new Map();
  /** trades shown, by venue:symbol:id, so that a resubscribe's recent trades are not shown twice */
  const tradesShown = new Set();
  let gaps = 0;
  let lastStatusAt = 0;

  // ---- connection state and errors ---------------------------------------------------------

  function setConnection(state, text) {
    const c = el('connection');
    c.dataset.state = state;
    c.className = 'conn conn-' + state;
    c.textContent = text;
    el('connect').disabled = state === 'connecting' || state === 'open' || state === 'live';
    el('disconnect').disabled = !session.wanted && !sessionStorage.getItem(TOKEN_KEY);
  }

  function showError(text, kind) {
    const e = el('error');
    e.hidden = false;
    e.dataset.kind = kind || 'other';
    e.textContent = new Date().toISOString().slice(11, 19) + ' UTC — ' + text;
  }

  function clearError(kind) {
    const e = el('error');
    if (!kind || e.dataset.kind === kind) {
      e.hidden = true;
      e.textContent = '';
      delete e.dataset.kind;
    }
  }

  // ---- connecting ------------------------------------------------------------------------------

  class AuthError extends Error {}

  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function connect(token) {
    disconnect(false);
    session.token = token;
    announce('mme:session', { token: token });
    session.wanted = true;
    session.attempt = 0;
    clearError();
    attempt();
  }

  function disconnect(forget) {
    session.wanted = false;
    session.generation++;
    clearTimeout(session.retryTimer);
    session.retryTimer = null;
    if (session.ws) {
      const ws = session.ws;
      session.ws = null;
      try { ws.close(1000, 'closed by the operator'); } catch (ignored) { /* already closed */ }
    }
    if (forget) {
      sessionStorage.removeItem(TOKEN_KEY);
      el('token').value = '';
      session.token = null;
      announce('mme:session', { token: null });
    }
    markAllStale();
    setConnection('idle', 'not connected');
  }

  async function attempt() {
    const generation = ++session.generation;
    setConnection('connecting', 'connecting…');
    try {
      await loadInstruments();
    } catch (e) {
      if (generation !== session.generation) return;
      if (e instanceof AuthError) {
        session.wanted = false;
        sessionStorage.removeItem(TOKEN_KEY); // a reload must not send it again
        announce('mme:session', { token: null });
        setConnection('unauthorized', 'token refused');
        showError(e.message, 'auth');
        return;
      }
      // the stream's status messages name the feeds too: go on without the REST answer
      showError('could not load the instruments (' + e.message + '); books follow the feeds of the status messages',
        'instruments');
    }
    if (generation !== session.generation) return;
    openStream(generation);
  }

  async function loadInstruments() {
    let response;
    try {
      response = await fetch(FEEDS_PATH, {
        headers: { 'Authorization': 'Bearer ' + session.token, 'Accept': 'application/json' },
        cache: 'no-store',
      });
    } catch (e) {
      throw new Error('GET ' + FEEDS_PATH + ': ' + e.message);
    }
    if (response.status === 401 || response.status === 403) {
      throw new AuthError('GET ' + FEEDS_PATH + ' refused the token (HTTP ' + response.status + ')' +
        await errorText(response));
    }
    if (!response.ok) {
      throw new Error('GET ' + FEEDS_PATH + ': HTTP ' + response.status + await errorText(response));
    }
    const body = await response.json();
    const feeds = Array.isArray(body && body.feeds) ? body.feeds : [];
    for (const f of feeds) {
      learnInstrument(f.venue, f.symbol, f.pair);
    }
    const fair = Array.isArray(body && body.fairValues) ? body.fairValues : [];
    for (const p of fair) {
      if (p && typeof p.pair === 'string') learnPair(p.pair);
    }
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      return body && body.error ? ': ' + body.error : '';
    } catch (ignored) {
      return '';
    }
  }

  function streamUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + STREAM_PATH;
  }

  function openStream(generation) {
    let ws;
    try {
      ws = new WebSocket(streamUrl());
    } catch (e) {
      showError('cannot open the stream: ' + e.message, 'connection');
      scheduleRetry(generation, 'cannot open the stream');
      return;
    }
    session.ws = ws;
    streams.clear();
    ws.onopen = () => {
      if (generation !== session.generation) return;
      send({ op: 'auth', token: session.token });
      for (const i of instruments.values()) subscribeBook(i);
      for (const p of pairs) subscribePair(p);
      send({ op: 'subscribe', channel: 'quotes' });
      send({ op: 'subscribe', channel: 'positions' });
      send({ op: 'subscribe', channel: 'trades' });
      send({ op: 'subscribe', channel: 'tradingStates' });
      setConnection('open', 'connected, waiting for data');
    };
    ws.onmessage = (event) => {
      if (generation !== session.generation) return;
      if (session.attempt > 0 || el('connection').dataset.state !== 'live') {
        session.attempt = 0;
        clearError('connection');
        // "stream connected", not "live": whether we trade is the trading badge's to say
        setConnection('live', 'stream connected');
      }
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch (e) {
        showError('unreadable message from the server: ' + String(event.data).slice(0, 80), 'protocol');
        return;
      }
      handle(msg);
    };
    ws.onclose = (event) => {
      if (generation !== session.generation) return;
      session.ws = null;
      markAllStale();
      const why = 'stream closed (code ' + event.code + (event.reason ? ': ' + event.reason : '') + ')';
      showError(why, 'connection');
      scheduleRetry(generation, why);
    };
  }

  function scheduleRetry(generation, why) {
    if (!session.wanted || generation !== session.generation) return;
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, session.attempt));
    const delay = Math.round(base * (0.5 + Math.random() / 2));
    session.attempt++;
    setConnection('reconnecting', why + ' — retry ' + session.attempt + ' in ' + (delay / 1000).toFixed(1) + ' s');
    session.retryTimer = setTimeout(() => {
      if (session.wanted && generation === session.generation) attempt();
    }, delay);
  }

  function send(message) {
    if (session.ws && session.ws.readyState === WebSocket.OPEN) {
      session.ws.send(JSON.stringify(message));
    }
  }

  function subscribeBook(i) {
    send({ op: 'subscribe', channel: 'l2Book', venue: i.venue, symbol: i.symbol, nLevels: LEVELS });
  }

  function subscribePair(pair) {
    send({ op: 'subscribe', channel: 'l2Book', pair: pair, nLevels: LEVELS });
  }

  function learnInstrument(venue, symbol, pair) {
    if (typeof venue !== 'string' || typeof symbol !== 'string') return null;
    const key = venue + ':' + symbol;
    let i = instruments.get(key);
    if (!i) {
      i = { venue: venue, symbol: symbol, pair: typeof pair === 'string' ? pair : null };
      instruments.set(key, i);
      bookCard(key, venue + ' ' + symbol, el('venue-books'));
    }
    if (typeof pair === 'string') learnPair(pair);
    return i;
  }

  function learnPair(pair) {
    if (pairs.has(pair)) return false;
    pairs.add(pair);
    bookCard('pair:' + pair, pair + ' (all venues)', el('consolidated'));
    return true;
  }

  // ---- messages ----------------------------------------------------------------------------

  /**
   * Whether a data message may be applied. A snapshot always (it replaces the state); a delta or
   * trades message only when it is seq + 1 of the last one of its stream: after a gap, the stream
   * is resubscribed and its messages ignored until the new snapshot. Messages without seq (replies,
   * errors) pass.
   */
  function inSequence(msg) {
    if (typeof msg.seq !== 'number' || typeof msg.id !== 'string') return true;
    let s = streams.get(msg.id);
    if (msg.snapshot === true) {
      streams.set(msg.id, { seq: msg.seq, awaiting: false });
      return true;
    }
    if (s && s.awaiting) return false;
    if (!s || msg.seq !== s.seq + 1) {
      gaps++;
      document.body.dataset.streamGaps = String(gaps);
      resubscribe(msg);
      streams.set(msg.id, { seq: s ? s.seq : 0, awaiting: true });
      return false;
    }
    s.seq = msg.seq;
    return true;
  }

  /** the documented gap recovery: unsubscribe the stream by its id, subscribe again (a snapshot comes first) */
  function resubscribe(msg) {
    send({ op: 'unsubscribe', id: msg.id });
    if (msg.type === 'l2Book') {
      if (typeof msg.venue === 'string' && typeof msg.symbol === 'string') {
        send({ op: 'subscribe', channel: 'l2Book', venue: msg.venue, symbol: msg.symbol, nLevels: LEVELS });
      } else if (typeof msg.pair === 'string') {
        subscribePair(msg.pair);
      }
    } else if (msg.type === 'trades') {
      send({ op: 'subscribe', channel: 'trades' });
    }
  }

  function handle(msg) {
    if (!msg || !inSequence(msg)) return undefined;
    if (typeof msg.seq === 'number') announce('mme:message', msg);
    switch (msg && msg.type) {
      case 'l2Book': return renderBook(msg);
      case 'quotes': return renderQuotes(msg);
      case 'positions': return renderPositions(msg);
      case 'trades': return renderTrades(msg);
      case 'status': return renderStatus(msg);
      case 'tradingStates': return renderTradingStates(msg);
      case 'error':
        return showError('server: ' + (msg.message || 'error') + (msg.field ? ' (field ' + msg.field + ')' : ''), 'server');
      case 'subscribed':
      case 'unsubscribed':
      case 'l3Book':
        return undefined;
      default:
        return undefined;
    }
  }

  function text(value) {
    return value === null || value === undefined || value === '' ? '–' : String(value);
  }

  function cell(row, value, cls) {
    const td = document.createElement('td');
    td.textContent = text(value);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function signClass(value) {
    if (typeof value !== 'string' && typeof value !== 'number') return 'num';
    const s = String(value);
    if (s.startsWith('-')) return 'num neg';
    return /[1-9]/.test(s) ? 'num pos' : 'num';
  }

  function replaceRows(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  function bookCard(key, title, container) {
    let b = books.get(key);
    if (b) return b;
    const card = document.createElement('div');
    card.className = 'book stale';
    card.dataset.book = key;
    const h = document.createElement('h3');
    const name = document.createElement('span');
    name.textContent = title;
    const state = document.createElement('span');
    state.className = 'book-state';
    state.textContent = 'no data';
    const age = document.createElement('span');
    age.className = 'book-age muted';
    h.append(name, ' ', state, ' ', age);
    const table = document.createElement('table');
    const head = document.createElement('thead');
    const hr = document.createElement('tr');
    for (const label of ['bid size', 'bid', 'ask', 'ask size']) {
      const th = document.createElement('th');
      th.className = 'num';
      th.textContent = label;
      hr.appendChild(th);
    }
    head.appendChild(hr);
    const body = document.createElement('tbody');
    table.append(head, body);
    const spread = document.createElement('div');
    spread.className = 'book-spread muted';
    card.append(h, table, spread);
    container.appendChild(card);
    b = { card: card, state: state, age: age, body: body, spread: spread, lastUpdate: 0, bids: new Map(), asks: new Map() };
    books.set(key, b);
    return b;
  }

  function renderBook(msg) {
    let b;
    if (typeof msg.venue === 'string' && typeof msg.symbol === 'string') {
      learnInstrument(msg.venue, msg.symbol, msg.pair);
      b = books.get(msg.venue + ':' + msg.symbol);
    } else if (typeof msg.pair === 'string') {
      learnPair(msg.pair);
      b = books.get('pair:' + msg.pair);
    }
    if (!b) return;
    // a snapshot (or a message of a server without seq) replaces the levels, a delta sets them ("0": gone)
    if (msg.snapshot !== false) {
      b.bids = new Map();
      b.asks = new Map();
    }
    applyLevels(b.bids, levels(msg.bids));
    applyLevels(b.asks, levels(msg.asks));
    const bids = sortedLevels(b.bids, true);
    const asks = sortedLevels(b.asks, false);
    const maxSize = Math.max(1e-18, ...bids.concat(asks).map((l) => Number(l && l[1]) || 0));
    const rows = [];
    for (let i = 0; i < Math.max(bids.length, asks.length); i++) {
      const bid = bids[i] || [];
      const ask = asks[i] || [];
      const tr = document.createElement('tr');
      depth(cell(tr, bid[1], 'num bid-size'), bid[1], maxSize);
      cell(tr, bid[0], i === 0 ? 'num bid best-bid' : 'num bid');
      cell(tr, ask[0], i === 0 ? 'num ask best-ask' : 'num ask');
      depth(cell(tr, ask[1], 'num ask-size'), ask[1], maxSize);
      rows.push(tr);
    }
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(tr, 'empty book', 'muted');
      td.colSpan = 4;
      rows.push(tr);
    }
    replaceRows(b.body, rows);
    const state = typeof msg.state === 'string' ? msg.state : (typeof msg.venue === 'string' ? 'unknown' : 'VALID');
    b.state.textContent = state;
    b.state.className = 'book-state state-' + state;
    b.card.classList.toggle('invalid', state !== 'VALID');
    b.card.classList.remove('stale');
    b.lastUpdate = Date.now();
    b.age.textContent = '';
    b.spread.textContent = bids.length && asks.length ? spreadText(bids[0][0], asks[0][0]) : '';
    announce('mme:book', { key: b.card.dataset.book, state: state, bids: bids, asks: asks });
  }

  function applyLevels(side, changes) {
    for (const [price, size] of changes) {
      if (typeof price !== 'string' && typeof price !== 'number') continue;
      if (Number(size) === 0) side.delete(String(price)); else side.set(String(price), size);
    }
  }

  /** the top LEVELS levels, best first */
  function sortedLevels(side, bids) {
    const out = Array.from(side.entries());
    out.sort((x, y) => (bids ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
    return out.slice(0, LEVELS);
  }

  /** [[price, size], ...] as the protocol sends them ({price, size} objects read too) */
  function levels(side) {
    if (!Array.isArray(side)) return [];
    return side.map((l) => (Array.isArray(l) ? l : [l && l.price, l && l.size]));
  }

  function depth(td, size, maxSize) {
    const n = Number(size);
    if (n > 0) td.style.setProperty('--depth', Math.min(100, (100 * n) / maxSize).toFixed(1) + '%');
  }

  function decimals(s) {
    const dot = String(s).indexOf('.');
    return dot < 0 ? 0 : String(s).length - dot - 1;
  }

  function spreadText(bid, ask) {
    const b = Number(bid);
    const a = Number(ask);
    if (!isFinite(a) || !isFinite(b)) return '';
    const d = Math.min(12, Math.max(decimals(bid), decimals(ask)));
    const mid = (a + b) / 2;
    const bps = mid > 0 ? ((a - b) / mid) * 1e4 : NaN;
    return 'spread ' + (a - b).toFixed(d) + (isFinite(bps) ? ' (' + bps.toFixed(2) + ' bp)' : '') +
      ' · mid ' + mid.toFixed(d + 1);
  }

  function renderQuotes(msg) {
    const quotes = Array.isArray(msg.quotes) ? msg.quotes : [];
    const rows = quotes.map((q) => {
      const tr = document.createElement('tr');
      cell(tr, q.strategy);
      cell(tr, q.venue);
      cell(tr, q.symbol);
      cell(tr, q.bidSize, 'num');
      cell(tr, q.bid, 'num bid');
      cell(tr, q.ask, 'num ask');
      cell(tr, q.askSize, 'num');
      return tr;
    });
    if (rows.length === 0) rows.push(emptyRow(7, 'no quotes'));
    replaceRows(el('quotes').tBodies[0], rows);
    // one strategy: its figures; a desk: each strategy's, named
    const desk = Array.isArray(msg.strategies) && msg.strategies.length > 1 ? msg.strategies : null;
    const perStrategy = (key) => desk.map((s) => s.id + ' ' + text(s[key])).join(' · ');
    el('fair-value').textContent = desk ? perStrategy('fairValue') : text(msg.fairValue);
    const inv = el('inventory');
    inv.textContent = desk ? perStrategy('inventory') : text(msg.inventory);
    inv.className = 'value ' + (desk ? '' : signClass(msg.inventory));
  }

  function renderPositions(msg) {
    const positions = Array.isArray(msg.positions) ? msg.positions : [];
    const rows = positions.map((p) => {
      const tr = document.createElement('tr');
      cell(tr, p.venue);
      cell(tr, p.symbol);
      cell(tr, p.position, signClass(p.position));
      cell(tr, p.pnl, signClass(p.pnl));
      cell(tr, p.realized, signClass(p.realized));
      cell(tr, p.unrealized, signClass(p.unrealized));
      cell(tr, p.fees, 'num');
      cell(tr, p.fills, 'num');
      return tr;
    });
    if (rows.length === 0) rows.push(emptyRow(8, 'no positions'));
    replaceRows(el('positions').tBodies[0], rows);
    const total = el('total-pnl');
    total.textContent = text(msg.totalPnl);
    total.className = 'value ' + signClass(msg.totalPnl);
  }

  function emptyRow(columns, label) {
    const tr = document.createElement('tr');
    const td = cell(tr, label, 'muted');
    td.colSpan = columns;
    return tr;
  }

  function renderTrades(msg) {
    const tbody = el('trades').tBodies[0];
    const trades = Array.isArray(msg.trades) ? msg.trades : [];
    // a replay's seek jumps over trades by design (and a fast speed outruns the buffer): no error there
    if (typeof msg.lost === 'number' && msg.lost > 0 && typeof document.body.dataset.replay !== 'string') {
      showError(msg.lost + ' trades were not delivered: the server\'s trade buffer wrapped', 'trades');
    }
    for (const t of trades) {
      if (typeof t.id === 'string') {
        const key = (t.venue || msg.venue) + ':' + (t.symbol || msg.symbol) + ':' + t.id;
        if (tradesShown.has(key)) continue;
        tradesShown.add(key);
        if (tradesShown.size > 10 * MAX_TRADES) tradesShown.delete(tradesShown.values().next().value);
      }
      const tr = document.createElement('tr');
      cell(tr, typeof t.ts === 'number' ? new Date(t.ts).toISOString().slice(11, 23) : t.ts);
      cell(tr, t.venue || msg.venue);
      cell(tr, t.symbol || msg.symbol);
      cell(tr, t.side, t.side === 'buy' ? 'bid' : t.side === 'sell' ? 'ask' : '');
      cell(tr, t.price, 'num');
      cell(tr, t.size, 'num');
      tbody.insertBefore(tr, tbody.firstChild);
    }
    while (tbody.rows.length > MAX_TRADES) tbody.deleteRow(tbody.rows.length - 1);
  }

  function micros(value) {
    if (typeof value !== 'number' || !isFinite(value)) return '–';
    return value >= 1000 ? (value / 1000).toFixed(2) + ' ms' : value.toFixed(value < 10 ? 2 : 1) + ' µs';
  }

  function renderStatus(msg) {
    lastStatusAt = Date.now();
    const feeds = Array.isArray(msg.feeds) ? msg.feeds : [];
    const rows = feeds.map((f) => {
      if (typeof f.venue === 'string' && typeof f.symbol === 'string' && !instruments.has(f.venue + ':' + f.symbol)) {
        // a feed the REST answer did not name (or there was none): follow its book too
        subscribeBook(learnInstrument(f.venue, f.symbol, f.pair));
      }
      const tr = document.createElement('tr');
      cell(tr, f.venue);
      cell(tr, f.symbol);
      cell(tr, f.state, 'state-' + text(f.state));
      return tr;
    });
    if (rows.length === 0) rows.push(emptyRow(3, 'no feeds'));
    replaceRows(el('feeds').tBodies[0], rows);

    const engines = Array.isArray(msg.engines) ? msg.engines : [];
    const items = engines.map((e) => {
      const li = document.createElement('li');
      li.textContent = engineText(e);
      return li;
    });
    if (items.length === 0) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'no engines reported';
      items.push(li);
    }
    el('engines').replaceChildren(...items);

    // the engine's last seconds (count 0: no quote in them), refreshed by every status message
    const latency = msg.tickToQuote && msg.tickToQuote.count !== 0 ? msg.tickToQuote : {};
    el('latency-p50').textContent = micros(latency.p50Micros);
    el('latency-p99').textContent = micros(latency.p99Micros);
    updateAges();
  }

  function engineText(e) {
    if (e === null || typeof e !== 'object') return text(e);
    const name = e.name || e.engine || e.id;
    const parts = [];
    for (const [k, v] of Object.entries(e)) {
      if (v === name && (k === 'name' || k === 'engine' || k === 'id')) continue;
      parts.push(k + ' ' + (v !== null && typeof v === 'object' ? JSON.stringify(v) : text(v)));
    }
    return (name ? name + ': ' : '') + parts.join(', ');
  }

  // ---- trading states (risk's state per scope) ---------------------------------------------

  const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'];
  /** the last tradingStates message, or null (none yet, or the stream closed since) */
  let tradingStates = null;

  function tradingState(value) {
    return TRADING_STATES.includes(value) ? value : 'UNKNOWN';
  }

  function strictest(a, b) {
    return TRADING_STATES.indexOf(a) >= TRADING_STATES.indexOf(b) ? a : b;
  }

  /**
   * One badge: the scope's name and the state it trades in, in words (the colour repeats what the
   * text says). That is the strictest of its own state and those of the scopes above it; when a
   * scope above decides, the badge names it and the scope's own state ("(global; own ACTIVE)"), so
   * no scope shows green while the engine is halted above it.
   */
  function tradingBadge(scope, label, state, own, via, title) {
    const badge = document.createElement('span');
    badge.className = 'badge trading-' + state;
    badge.dataset.scope = scope;
    badge.dataset.state = state;
    badge.dataset.own = own;
    const name = document.createElement('span');
    name.className = 'badge-scope';
    name.textContent = label;
    const value = document.createElement('span');
    value.className = 'badge-state';
    value.textContent = state;
    badge.append(name, ' ', value);
    if (state !== own) {
      const note = document.createElement('span');
      note.className = 'badge-note';
      note.textContent = '(' + via + '; own ' + own + ')';
      badge.append(' ', note);
    }
    if (title) badge.title = title;
    return badge;
  }

  /**
   * Badges for the global scope and each venue, and one for each instrument whose own state is not
   * ACTIVE (the others are counted on one line). The header's summary names every scope that is
   * not ACTIVE, in the colour of the strictest of them, as the console's trading table does.
   */
  function renderTradingStates(msg) {
    tradingStates = msg;
    const pipelineHalted = msg.pipelineHalted === true;
    const global = pipelineHalted ? 'HALTED' : tradingState(msg.global);
    const pipelineTitle = 'the pipeline halted itself' + (msg.haltReason ? ': ' + msg.haltReason : '') + '; only cancels go out';
    const badges = [tradingBadge('global', 'global', global, global, '', pipelineHalted ? pipelineTitle : 'risk\'s global trading state')];
    const restricted = global === 'ACTIVE' ? [] : ['global ' + global + (pipelineHalted ? ' (pipeline)' : '')];
    let worst = global;
    const venueStates = new Map();
    for (const v of Array.isArray(msg.venues) ? msg.venues : []) {
      const own = tradingState(v.state);
      venueStates.set(v.venue, own);
      badges.push(tradingBadge('venue:' + v.venue, 'venue ' + text(v.venue), strictest(own, global), own, 'global',
        'the venue\'s trading state: the stricter of its own and the global one'));
      if (own !== 'ACTIVE') restricted.push('venue ' + v.venue + ' ' + own);
      worst = strictest(worst, own);
    }
    const instrumentsList = Array.isArray(msg.instruments) ? msg.instruments : [];
    let active = 0;
    for (const i of instrumentsList) {
      const own = tradingState(i.state);
      if (own === 'ACTIVE') {
        active++;
        continue;
      }
      const venue = venueStates.get(i.venue) || 'ACTIVE';
      const state = strictest(strictest(own, venue), global);
      badges.push(tradingBadge('instrument:' + i.venue + ':' + i.symbol, text(i.venue) + ' ' + text(i.symbol), state, own,
        global === state ? 'global' : 'venue ' + i.venue,
        'the instrument\'s trading state: the strictest of its own, its venue\'s and the global one'));
      restricted.push(i.venue + ' ' + i.symbol + ' ' + own);
      worst = strictest(worst, own);
    }
    if (active > 0) {
      const rest = document.createElement('span');
      rest.className = 'badge-rest muted';
      rest.textContent = (active === instrumentsList.length ? 'all ' : '') + active + ' instrument' + (active === 1 ? '' : 's') +
        ' ACTIVE on their own';
      badges.push(rest);
    }
    el('trading-states').replaceChildren(...badges);
    setTradingSummary(worst, restricted.length === 0 ? 'trading: all ACTIVE' : 'trading: ' + restricted.join('; '));
  }

  function setTradingSummary(state, label) {
    const t = el('trading');
    t.dataset.state = state;
    t.className = 'badge trading-' + state;
    t.textContent = label;
  }

  /** no stream: the last states may be out of date, so no badge claims a state */
  function markTradingUnknown() {
    if (tradingStates === null && el('trading').dataset.state === 'UNKNOWN') return;
    tradingStates = null;
    setTradingSummary('UNKNOWN', 'trading: unknown (no stream)');
    for (const b of el('trading-states').querySelectorAll('.badge')) {
      b.className = 'badge trading-UNKNOWN';
      b.dataset.state = 'UNKNOWN';
      b.querySelector('.badge-state').textContent = 'unknown';
      const note = b.querySelector('.badge-note');
      if (note) note.remove();
    }
  }

  // ---- strategies (GET /api/v1/strategies every 2 s while connected) -------------------------

  const STRATEGIES_PATH = '/api/v1/strategies';

  async function loadStrategies() {
    if (!session.wanted || !session.token) return;
    let response;
    try {
      response = await fetch(STRATEGIES_PATH, {
        headers: { 'Authorization': 'Bearer ' + session.token, 'Accept': 'application/json' },
        cache: 'no-store',
      });
    } catch (e) {
      return; // the connection line and the stream report a lost engine
    }
    if (!response.ok) return;
    const body = await response.json();
    const list = Array.isArray(body && body.strategies) ? body.strategies : [];
    const rows = list.map((s) => {
      const row = document.createElement('tr');
      cell(row, s.id);
      cell(row, s.type);
      cell(row, s.pair);
      cell(row, Array.isArray(s.venues) ? s.venues.map((v) => v.venue).join(', ') : '');
      const state = cell(row, s.state, s.state === 'halted' ? 'neg' : '');
      if (s.haltReason) state.title = s.haltReason;
      cell(row, s.position, 'num');
      cell(row, s.pnl, signClass(s.pnl));
      cell(row, s.fees, 'num');
      cell(row, s.openOrders, 'num');
      return row;
    });
    replaceRows(el('strategies').querySelector('tbody'), rows.length ? rows : [emptyRow(9, 'no strategy configured')]);
  }

  // ---- staleness ---------------------------------------------------------------------------

  function markAllStale() {
    for (const b of books.values()) b.card.classList.add('stale');
    markTradingUnknown();
  }

  function updateAges() {
    const now = Date.now();
    // a replay held (paused, seeking or at its end) sends no book changes: its books are not stale
    const held = typeof document.body.dataset.replay === 'string' && document.body.dataset.replay !== 'playing';
    for (const b of books.values()) {
      if (b.lastUpdate === 0) continue;
      if (held) {
        b.card.classList.toggle('stale', !session.ws);
        b.age.textContent = '';
        continue;
      }
      const age = now - b.lastUpdate;
      const stale = age > STALE_MS;
      b.card.classList.toggle('stale', stale || !session.ws);
      b.age.textContent = stale ? 'no update for ' + Math.round(age / 1000) + ' s' : '';
    }
    const s = el('status-age');
    if (lastStatusAt === 0) {
      s.textContent = '';
    } else {
      const age = now - lastStatusAt;
      s.textContent = age > 3000 ? 'no status for ' + Math.round(age / 1000) + ' s' : 'status ' + (age / 1000).toFixed(1) + ' s ago';
      s.className = age > 3000 ? 'warn' : 'muted';
    }
  }

  // ---- start -------------------------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', () => {
    el('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = el('token').value.trim();
      if (!token) {
        showError('enter an API token', 'auth');
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, token);
      connect(token);
    });
    el('disconnect').addEventListener('click', () => disconnect(true));
    setInterval(updateAges, 1000);
    setInterval(loadStrategies, 2000);
    setConnection('idle', 'not connected');
    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) {
      el('token').value = saved;
      connect(saved);
    }
  });
})();
