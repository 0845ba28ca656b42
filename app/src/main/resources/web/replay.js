// The playback bar of a replay (`mme replay --journal DIR --serve`): shown only when GET /api/v1/replay
// answers (a live engine answers 404, and the bar stays hidden). Play/pause, the speed (0.5x to 100x),
// a seek slider over the journal's event time with the position shown, the progress and the state;
// polled every POLL_MS while signed in. Every answer is announced on document as 'mme:replay' (the
// playback state) so that the charts (charts.js) follow the replay's event time instead of the wall
// clock. Owns only the bar's DOM; server text goes into textContent.
'use strict';

(() => {
  const PATH = '/api/v1/replay';
  const POLL_MS = 500;
  const MS = 1e6; // ns
  const el = (id) => document.getElementById(id);

  const replay = { token: null, timer: null, state: null, dragging: false };

  async function call(method, path, body) {
    const headers = { 'Authorization': 'Bearer ' + replay.token, 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method: method, headers: headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
    let json = null;
    try { json = await response.json(); } catch (ignored) { /* no body */ }
    return { status: response.status, ok: response.ok, body: json };
  }

  function clock(iso) {
    return typeof iso === 'string' ? iso.slice(11, 23) : '–';
  }

  function render(s) {
    replay.state = s;
    el('replay-bar').hidden = false;
    document.body.dataset.replay = s.state;
    el('replay-journal').textContent = s.journal;
    el('replay-journal').title = 'event time ' + s.start + ' to ' + s.end + ', ' + s.records + ' records';
    el('replay-toggle').textContent = s.playing ? 'Pause' : 'Play';
    el('replay-toggle').dataset.playing = String(s.playing);
    const speed = el('replay-speed');
    if (document.activeElement !== speed) speed.value = String(s.speed);
    if (!replay.dragging) el('replay-seek').value = String(Math.round(s.progress * 1000));
    el('replay-time').textContent = clock(s.position) + ' / ' + clock(s.end) + ' UTC';
    el('replay-progress').textContent = (s.progress * 100).toFixed(1) + ' %';
    const state = el('replay-state');
    state.dataset.state = s.state;
    state.textContent = s.state + ' at ' + s.speed + '×';
    document.dispatchEvent(new CustomEvent('mme:replay', { detail: s }));
  }

  function refused(what, r) {
    const e = el('error');
    e.hidden = false;
    e.dataset.kind = 'replay';
    e.textContent = new Date().toISOString().slice(11, 19) + ' UTC — ' + what + ' refused (HTTP ' + r.status + '): ' +
      (r.body && r.body.error ? r.body.error : 'no answer');
  }

  async function control(what, path, body) {
    if (!replay.token) return;
    let r;
    try {
      r = await call('POST', path, body);
    } catch (e) {
      return;
    }
    if (r.ok && r.body) render(r.body); else refused(what, r);
  }

  async function poll() {
    if (!replay.token) return;
    let r;
    try {
      r = await call('GET', PATH);
    } catch (e) {
      return; // the connection line reports a lost engine
    }
    if (r.status === 404) {
      // a live engine: no playback, no bar
      clearInterval(replay.timer);
      replay.timer = null;
      el('replay-bar').hidden = true;
      delete document.body.dataset.replay;
      return;
    }
    if (r.ok && r.body) render(r.body);
  }

  /** the slider's position as an event time, kept a millisecond inside the journal (ns do not survive a JS number exactly) */
  function seekTarget(value) {
    const s = replay.state;
    const span = s.endNanos - s.startNanos;
    const t = s.startNanos + (span * Number(value)) / 1000;
    if (span <= 2 * MS) return s.startNanos;
    return Math.round(Math.min(s.endNanos - MS, Math.max(s.startNanos + MS, t)));
  }

  function session(token) {
    replay.token = token;
    clearInterval(replay.timer);
    replay.timer = null;
    if (!token) {
      el('replay-bar').hidden = true;
      return;
    }
    replay.timer = setInterval(poll, POLL_MS);
    poll();
  }

  document.addEventListener('mme:session', (e) => session(e.detail && e.detail.token));
  document.addEventListener('DOMContentLoaded', () => {
    el('replay-toggle').addEventListener('click', () => {
      const playing = replay.state && replay.state.playing;
      control(playing ? 'pause' : 'play', PATH + (playing ? '/pause' : '/play'));
    });
    el('replay-speed').addEventListener('change', () => control('speed', PATH + '/speed', { speed: Number(el('replay-speed').value) }));
    const seek = el('replay-seek');
    seek.addEventListener('input', () => {
      replay.dragging = true;
      if (replay.state) {
        const t = seekTarget(seek.value);
        el('replay-time').textContent = 'to ' + new Date(t / MS).toISOString().slice(11, 23) + ' UTC';
      }
    });
    seek.addEventListener('change', () => {
      replay.dragging = false;
      if (replay.state) control('seek', PATH + '/seek', { timeNanos: seekTarget(seek.value) });
    });
  });
})();
