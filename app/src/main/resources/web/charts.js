// The desk's charts, drawn with uPlot (served by the engine from its WebJar at vendor/uplot/, nothing
// from elsewhere): for the chosen pair the consolidated mid with our best bid and ask and our fills,
// and the depth of each venue's book and of the consolidated one; PnL and inventory over time per
// strategy; the tick-to-quote histogram of the last 5 s. Fed by app.js's events ('mme:message',
// 'mme:book') and desk.js's polls ('mme:desk'). Owns the samples it keeps (the last HISTORY seconds)
// and the chart objects; each chart element carries data-points (what it drew last) for tests. In a
// replay (replay.js's 'mme:replay') the time axis is the replay's event time, not the wall clock, and
// the history starts again when the replay goes back (a seek backward).
'use strict';

(() => {
  const HISTORY = 600;      // samples kept per series (one a second: ten minutes)
  const HEIGHT = 220;
  const COLOURS = { mid: '#d8dee6', bid: '#3ecf8e', ask: '#f0616d', buy: '#5aa9ff', sell: '#f2b84b', bars: '#b48cff' };
  // per-strategy and per-venue lines: never the bid green or the ask red, which mean a side
  const PALETTE = ['#5aa9ff', '#f2b84b', '#b48cff', '#64d2ff', '#ff9f0a', '#e3e3e3', '#9ad14b'];
  const AXIS = { stroke: '#7d8896', grid: { stroke: '#2a323d', width: 1 }, ticks: { stroke: '#2a323d' } };
  const el = (id) => document.getElementById(id);

  const state = {
    pairs: new Map(),        // pair -> {quote: 'USD', base: 'BTC'}
    pairOf: new Map(),       // "venue:symbol" -> pair
    books: new Map(),        // book key -> {bids, asks} (top levels, best first, as [price text, size text])
    quotes: [],              // the last quotes message's rows
    prices: [],              // [{t, mid, bid, ask}] for the chosen pair
    fills: new Map(),        // key -> {t, price, side, pair}
    strategies: [],          // [{t, values: Map id -> {pnl, position}}]
    strategyMeta: new Map(), // id -> {pair}
    histogram: null,         // {upperMicros, counts}
    charts: {},
    replay: null,            // the last playback state of a replay, null for a live engine
  };

  /** seconds on the charts' time axis: the replay's event time, or the wall clock */
  function now() {
    return state.replay ? state.replay.positionNanos / 1e9 : Date.now() / 1000;
  }

  /** appends a sample unless the clock has not moved since the last one (a paused replay) */
  function pushSample(list, sample) {
    if (list.length && list[list.length - 1].t >= sample.t) return false;
    list.push(sample);
    if (list.length > HISTORY) list.shift();
    return true;
  }

  function pair() {
    return el('chart-pair').value || (state.pairs.size ? state.pairs.keys().next().value : null);
  }

  function learnPair(p) {
    if (typeof p !== 'string' || state.pairs.has(p)) return;
    const [base, quote] = p.split('/');
    state.pairs.set(p, { base: base, quote: quote || '' });
    const o = document.createElement('option');
    o.value = p;
    o.textContent = p;
    el('chart-pair').appendChild(o);
    captions();
  }

  function captions() {
    const p = pair();
    const meta = p ? state.pairs.get(p) : null;
    el('price-caption').textContent = 'price (' + (meta ? meta.quote : 'quote') + ' per ' + (meta ? meta.base : 'base') +
      '): consolidated mid, our best bid and ask, our fills';
    el('depth-caption').textContent = 'depth (cumulative ' + (meta ? meta.base : 'base') + ') per venue and consolidated, by price (' +
      (meta ? meta.quote : 'quote') + ')';
  }

  // ---- what the stream and the desk's polls bring -----------------------------------------------

  document.addEventListener('mme:message', (e) => {
    const msg = e.detail;
    if (msg.type === 'l2Book') {
      learnPair(msg.pair);
      if (typeof msg.venue === 'string' && typeof msg.symbol === 'string' && typeof msg.pair === 'string') {
        state.pairOf.set(msg.venue + ':' + msg.symbol, msg.pair);
      }
    } else if (msg.type === 'quotes') {
      state.quotes = Array.isArray(msg.quotes) ? msg.quotes : [];
    } else if (msg.type === 'status') {
      const h = msg.tickToQuote && msg.tickToQuote.histogram;
      if (h && Array.isArray(h.counts) && Array.isArray(h.upperMicros)) {
        state.histogram = h;
        drawLatency();
      }
    }
  });

  document.addEventListener('mme:book', (e) => {
    state.books.set(e.detail.key, { bids: e.detail.bids, asks: e.detail.asks, state: e.detail.state });
  });

  document.addEventListener('mme:replay', (e) => {
    const s = e.detail;
    const before = state.replay;
    state.replay = s;
    el('latency-caption').textContent = 'tick-to-quote: not measured in a replay (the live run\'s timing is not reproduced)';
    if (before && (s.rebuilds !== before.rebuilds || s.positionNanos < before.positionNanos)) {
      // the replay went back: what was drawn is of a later time
      state.prices = [];
      state.strategies = [];
      state.fills.clear();
    }
  });

  document.addEventListener('mme:desk', (e) => {
    const fills = e.detail.fills && Array.isArray(e.detail.fills.fills) ? e.detail.fills.fills : [];
    for (const f of fills) {
      const key = f.orderId + ':' + f.timeNanos + ':' + f.price + ':' + f.size;
      if (!state.fills.has(key)) {
        state.fills.set(key, { t: f.timeNanos / 1e9, price: Number(f.price), side: f.side,
          pair: state.pairOf.get(f.venue + ':' + f.symbol) || null });
      }
    }
    while (state.fills.size > 500) state.fills.delete(state.fills.keys().next().value);
    const list = e.detail.strategies && Array.isArray(e.detail.strategies.strategies) ? e.detail.strategies.strategies : [];
    if (list.length) {
      const values = new Map();
      for (const s of list) {
        values.set(s.id, { pnl: Number(s.pnl), position: Number(s.position) });
        state.strategyMeta.set(s.id, { pair: s.pair });
        learnPair(s.pair);
      }
      if (pushSample(state.strategies, { t: now(), values: values })) drawStrategies();
    }
  });

  // ---- sampling (once a second) and drawing -------------------------------------------------------

  function best(levels) {
    return Array.isArray(levels) && levels.length ? Number(levels[0][0]) : null;
  }

  function samplePrice() {
    const p = pair();
    if (!p) return;
    const book = state.books.get('pair:' + p);
    const bid = book ? best(book.bids) : null;
    const ask = book ? best(book.asks) : null;
    let ourBid = null;
    let ourAsk = null;
    for (const q of state.quotes) {
      if (state.pairOf.get(q.venue + ':' + q.symbol) !== p) continue;
      const b = q.bid === null || q.bid === undefined ? null : Number(q.bid);
      const a = q.ask === null || q.ask === undefined ? null : Number(q.ask);
      if (b !== null && (ourBid === null || b > ourBid)) ourBid = b;
      if (a !== null && (ourAsk === null || a < ourAsk)) ourAsk = a;
    }
    pushSample(state.prices, { t: now(), mid: bid !== null && ask !== null ? (bid + ask) / 2 : null, bid: ourBid, ask: ourAsk });
  }

  function chart(name, opts, data) {
    const target = el('chart-' + name);
    const width = Math.max(300, target.clientWidth || 480);
    let c = state.charts[name];
    if (c && c.series.length !== opts.series.length) {
      c.destroy();
      c = null;
    }
    if (!c) {
      if (typeof uPlot !== 'function') return;
      c = new uPlot(Object.assign({ width: width, height: HEIGHT, legend: { show: true } }, opts), data, target);
      state.charts[name] = c;
    } else {
      c.setData(data);
      if (Math.abs(c.width - width) > 4) c.setSize({ width: width, height: HEIGHT });
    }
    target.dataset.points = String(data[0].length);
  }

  function line(label, colour, width) {
    return { label: label, stroke: colour, width: width || 1.5, spanGaps: true, points: { show: false } };
  }

  function drawPrice() {
    if (typeof uPlot !== 'function') return; // the library did not load: the tables still work
    const p = pair();
    if (!p) return;
    const meta = state.pairs.get(p);
    // the samples and the fills on one time axis, in order
    const rows = state.prices.map((s) => [s.t, s.mid, s.bid, s.ask, null, null]);
    const from = rows.length ? rows[0][0] : 0;
    for (const f of state.fills.values()) {
      if (f.pair === p && f.t >= from) rows.push([f.t, null, null, null, f.side === 'buy' ? f.price : null, f.side === 'sell' ? f.price : null]);
    }
    rows.sort((a, b) => a[0] - b[0]);
    const data = [0, 1, 2, 3, 4, 5].map((i) => rows.map((r) => r[i]));
    const dots = (label, colour) => ({ label: label, stroke: colour, fill: colour, paths: () => null,
      points: { show: true, size: 9, stroke: colour, fill: colour } });
    chart('price', {
      scales: { x: { time: true } },
      series: [{}, line('mid (' + meta.quote + ')', COLOURS.mid, 1.5), line('our bid', COLOURS.bid, 1.5),
        line('our ask', COLOURS.ask, 1.5), dots('our buy fill', COLOURS.buy), dots('our sell fill', COLOURS.sell)],
      axes: [Object.assign({}, AXIS), Object.assign({ label: meta.quote, size: 70 }, AXIS)],
    }, data);
  }

  /** cumulative size from the best level outward: [[price, cumulative], ...] */
  function cumulative(levels) {
    let sum = 0;
    return (Array.isArray(levels) ? levels : []).map((l) => [Number(l[0]), (sum += Number(l[1]))]);
  }

  function drawDepth() {
    if (typeof uPlot !== 'function') return; // the library did not load: the tables still work
    const p = pair();
    if (!p) return;
    const meta = state.pairs.get(p);
    const sides = [];
    const addBook = (label, key, width) => {
      const b = state.books.get(key);
      if (!b) return;
      sides.push({ label: label + ' bids', colour: width > 1.5 ? COLOURS.bid : null, width: width, points: cumulative(b.bids) });
      sides.push({ label: label + ' asks', colour: width > 1.5 ? COLOURS.ask : null, width: width, points: cumulative(b.asks) });
    };
    addBook('all venues', 'pair:' + p, 2.5);
    for (const [key, venuePair] of state.pairOf) {
      if (venuePair === p) addBook(key.split(':')[0], key, 1);
    }
    if (!sides.length) return;
    const prices = [...new Set(sides.flatMap((s) => s.points.map((x) => x[0])))].sort((a, b) => a - b);
    const index = new Map(prices.map((x, i) => [x, i]));
    const data = [prices];
    const series = [{}];
    sides.forEach((s, i) => {
      const ys = prices.map(() => null);
      for (const [x, y] of s.points) ys[index.get(x)] = y;
      data.push(ys);
      series.push({ label: s.label, stroke: s.colour || PALETTE[i % PALETTE.length], width: s.width, spanGaps: true,
        points: { show: false }, paths: uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined });
    });
    chart('depth', {
      scales: { x: { time: false } },
      series: series,
      axes: [Object.assign({ label: meta.quote }, AXIS), Object.assign({ label: meta.base, size: 60 }, AXIS)],
    }, data);
  }

  function drawStrategies() {
    if (typeof uPlot !== 'function') return; // the library did not load: the tables still work
    const ids = [...state.strategyMeta.keys()];
    const t = state.strategies.map((s) => s.t);
    const series = (what) => ids.map((id) => state.strategies.map((s) => (s.values.get(id) || {})[what] ?? null));
    const unit = (id, which) => {
      const meta = state.pairs.get((state.strategyMeta.get(id) || {}).pair) || {};
      return which === 'pnl' ? meta.quote : meta.base;
    };
    chart('pnl', {
      scales: { x: { time: true } },
      series: [{}].concat(ids.map((id, i) => line(id + ' (' + (unit(id, 'pnl') || 'quote') + ')', PALETTE[i % PALETTE.length], 2))),
      axes: [Object.assign({}, AXIS), Object.assign({ label: 'PnL (quote currency)', size: 70 }, AXIS)],
    }, [t].concat(series('pnl')));
    chart('inventory', {
      scales: { x: { time: true } },
      series: [{}].concat(ids.map((id, i) => line(id + ' (' + (unit(id, 'inventory') || 'base') + ')', PALETTE[i % PALETTE.length], 2))),
      axes: [Object.assign({}, AXIS), Object.assign({ label: 'inventory (base asset)', size: 70 }, AXIS)],
    }, [t].concat(series('position')));
  }

  function drawLatency() {
    if (typeof uPlot !== 'function') return; // the library did not load: the tables still work
    const h = state.histogram;
    if (!h) return;
    // axis labels short enough to sit side by side: each bucket's upper bound in µs (1k = 1,000 µs)
    const short = (u) => (u >= 1000 ? u / 1000 + 'k' : String(u));
    const labels = h.upperMicros.map(short).concat(['>' + short(h.upperMicros[h.upperMicros.length - 1])]);
    const xs = labels.map((_, i) => i);
    const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined;
    chart('latency', {
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
      series: [{ label: 'bucket (µs)', value: (u, v) => (v === null || v === undefined ? '–' : '≤ ' + labels[v] + ' µs') },
        { label: 'quotes', stroke: COLOURS.bars, fill: COLOURS.bars, width: 1, paths: bars, points: { show: false } }],
      axes: [Object.assign({ label: 'tick-to-quote, bucket upper bound (µs)', values: (u, vals) => vals.map((v) => labels[v] || ''),
        splits: () => xs }, AXIS), Object.assign({ label: 'quotes', size: 60 }, AXIS)],
    }, [xs, h.counts.slice()]);
  }

  function tick() {
    samplePrice();
    drawPrice();
    drawDepth();
    // a chart counts as drawn once it has two points (a line needs two; the histogram has all its buckets)
    const drawn = Object.keys(state.charts).filter((k) => Number(el('chart-' + k).dataset.points) > 1);
    document.body.dataset.charts = drawn.sort().join(' ');
  }

  document.addEventListener('DOMContentLoaded', () => {
    el('chart-pair').addEventListener('change', () => {
      state.prices = [];
      captions();
      tick();
    });
    captions();
    setInterval(tick, 1000);
  });
})();
