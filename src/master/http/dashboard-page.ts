/**
 * The dashboard: one static page (HTML + CSS + plain JS, no framework, no external asset)
 * that polls the JSON API every `?refresh=MS` (default 2000) and draws the summary, the
 * chunkserver table with capacity bars, a reads/writes-per-second chart on a canvas, and a
 * namespace browser (folder listing; a file's chunks and where each replica lives). The
 * browsed folder lives in the URL hash, so a link to `/#/photos` opens that folder.
 *
 * Stable hooks for tests and scrapers: `#summary [data-key]`, `#nodes tr[data-server]`
 * with `data-state`, `#listing li[data-name]`, `#file tr[data-chunk]`, `#updated`.
 */
export const DASHBOARD_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dfs dashboard</title>
<style>
  :root { --bg:#f6f7f9; --card:#fff; --ink:#1d2430; --muted:#6b7585; --ok:#1f9d55; --bad:#d64545; --warn:#d98e04; --bar:#3b82f6; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--ink); }
  header { display:flex; align-items:baseline; gap:16px; padding:12px 20px; background:#1d2430; color:#fff; }
  header h1 { margin:0; font-size:18px; }
  header .muted { color:#aab3c2; }
  main { padding:16px 20px; display:grid; gap:16px; grid-template-columns: minmax(0,1fr) minmax(0,1fr); }
  section { background:var(--card); border-radius:8px; padding:12px 16px; box-shadow:0 1px 2px rgba(0,0,0,.08); }
  section.wide { grid-column: 1 / -1; }
  h2 { margin:0 0 8px; font-size:15px; }
  #summary { display:grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap:8px; }
  .stat { background:var(--bg); border-radius:6px; padding:8px; }
  .stat .label { color:var(--muted); font-size:12px; }
  .stat .value { font-size:20px; font-weight:600; }
  .stat.bad .value { color:var(--bad); }
  table { width:100%; border-collapse:collapse; }
  th, td { text-align:left; padding:4px 6px; border-bottom:1px solid #e7eaf0; white-space:nowrap; }
  #file td:last-child { white-space:normal; }
  th { color:var(--muted); font-weight:500; font-size:12px; }
  td.num { text-align:right; font-variant-numeric: tabular-nums; }
  .state { font-weight:600; }
  .state-ALIVE { color:var(--ok); } .state-DEAD { color:var(--bad); } .state-DECOMMISSIONING, .state-DECOMMISSIONED { color:var(--warn); }
  .bar { position:relative; width:140px; height:12px; background:#e7eaf0; border-radius:6px; overflow:hidden; display:inline-block; vertical-align:middle; }
  .bar span { position:absolute; left:0; top:0; bottom:0; background:var(--bar); }
  .bar.high span { background:var(--bad); }
  #chart { width:100%; height:180px; display:block; }
  .legend span { margin-right:12px; } .legend i { display:inline-block; width:10px; height:10px; margin-right:4px; border-radius:2px; }
  #crumbs a, #listing a { color:#2563eb; text-decoration:none; cursor:pointer; }
  #listing { list-style:none; margin:8px 0; padding:0; max-height:320px; overflow:auto; }
  #listing li { padding:3px 0; border-bottom:1px solid #f0f2f5; display:flex; justify-content:space-between; }
  #listing li.selected { background:#eef4ff; }
  .error { color:var(--bad); }
  .muted { color:var(--muted); }
</style>
</head>
<body>
<header><h1>dfs</h1><span class="muted" id="master"></span><span class="muted" id="updated">loading…</span><span class="error" id="error"></span></header>
<main>
  <section class="wide"><h2>Cluster</h2><div id="summary"></div></section>
  <section class="wide"><h2>Chunkservers</h2>
    <table id="nodes"><thead><tr><th>server</th><th>state</th><th>address</th><th>capacity</th><th>used</th><th>free</th><th>chunks</th><th>last heartbeat</th><th>load</th><th>decommission</th></tr></thead><tbody></tbody></table>
  </section>
  <section class="wide"><h2>Throughput <span class="muted legend"><span><i style="background:#3b82f6"></i>reads/s</span><span><i style="background:#f59e0b"></i>writes/s</span></span> <span class="muted" id="rate"></span></h2>
    <canvas id="chart"></canvas>
  </section>
  <section><h2>Namespace</h2><div id="crumbs"></div><ul id="listing"></ul></section>
  <section><h2>File <span class="muted" id="file-name"></span></h2><div id="file-meta" class="muted">select a file</div>
    <table id="file"><thead><tr><th>chunk</th><th>handle</th><th>version</th><th>replicas</th></tr></thead><tbody></tbody></table>
  </section>
</main>
<script>
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var refreshMs = Math.max(200, Number(params.get('refresh')) || 2000);
  var selectedFile = null;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { e.appendChild(c); });
    return e;
  }
  function bytes(n) {
    if (n === null || n === undefined) return '–';
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? String(n) : n.toFixed(n >= 10 ? 0 : 1)) + ' ' + u[i];
  }
  function ago(ms) {
    if (ms < 1000) return 'now';
    if (ms < 60000) return Math.round(ms / 1000) + ' s ago';
    if (ms < 3600000) return Math.round(ms / 60000) + ' min ago';
    return Math.round(ms / 3600000) + ' h ago';
  }
  function getJson(url) {
    return fetch(url, { cache: 'no-store' }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body && body.message) || ('HTTP ' + r.status));
        return body;
      });
    });
  }
  function bar(used, cap) {
    var pct = cap > 0 ? Math.min(100, 100 * used / cap) : 0;
    var b = el('span', { class: 'bar' + (pct > 90 ? ' high' : ''), title: pct.toFixed(1) + '%' }, [el('span')]);
    b.firstChild.style.width = pct.toFixed(1) + '%';
    return b;
  }

  function renderSummary(s) {
    document.getElementById('master').textContent = 'master ' + s.masterAddress;
    var items = [
      ['capacity', 'capacity', bytes(s.capacityBytes)], ['used', 'used', bytes(s.usedBytes)], ['free', 'free', bytes(s.freeBytes)],
      ['files', 'files and folders', s.files], ['chunks', 'chunks', s.chunks],
      ['liveServers', 'live servers', s.liveServers + ' / ' + s.servers], ['deadServers', 'dead servers', s.deadServers],
      ['underReplicated', 'under-replicated', s.underReplicated === null ? '–' : s.underReplicated],
      ['corrupt', 'corrupt', s.corrupt === null ? '–' : s.corrupt], ['missing', 'missing', s.missing === null ? '–' : s.missing],
      ['replicationQueue', 'replication queue', s.replicationQueue === null ? '–' : s.replicationQueue],
      ['safeMode', 'safe mode', s.safeMode === null ? '–' : (s.safeMode ? 'ON' : 'off')]
    ];
    var box = document.getElementById('summary');
    box.textContent = '';
    items.forEach(function (it) {
      var bad = (it[0] === 'deadServers' || it[0] === 'underReplicated' || it[0] === 'corrupt' || it[0] === 'missing') && Number(it[2]) > 0;
      box.appendChild(el('div', { class: 'stat' + (bad || (it[0] === 'safeMode' && s.safeMode) ? ' bad' : ''), 'data-key': it[0] }, [
        el('div', { class: 'label', text: it[1] }), el('div', { class: 'value', text: String(it[2]) })
      ]));
    });
  }

  function renderNodes(nodes) {
    var body = document.querySelector('#nodes tbody');
    body.textContent = '';
    nodes.forEach(function (n) {
      var decom = n.state === 'DECOMMISSIONING' ? n.replicasToMove + ' replicas to move' : (n.state === 'DECOMMISSIONED' ? 'done' : '');
      body.appendChild(el('tr', { 'data-server': n.serverId, 'data-state': n.state }, [
        el('td', { text: n.serverId }),
        el('td', { class: 'state state-' + n.state, text: n.state }),
        el('td', { text: n.address }),
        el('td', {}, [bar(n.usedBytes, n.capacityBytes)]),
        el('td', { class: 'num', text: bytes(n.usedBytes) }),
        el('td', { class: 'num', text: bytes(n.freeBytes) }),
        el('td', { class: 'num', text: String(n.chunkCount) }),
        el('td', { text: ago(n.heartbeatAgeMs) }),
        el('td', { class: 'num', text: String(n.activeWrites) }),
        el('td', { text: decom })
      ]));
    });
  }

  function renderChart(data) {
    var c = document.getElementById('chart');
    var w = c.clientWidth, h = c.clientHeight, dpr = window.devicePixelRatio || 1;
    c.width = w * dpr; c.height = h * dpr;
    var g = c.getContext('2d');
    g.scale(dpr, dpr);
    g.clearRect(0, 0, w, h);
    var samples = data.samples, spanS = 300, now = Date.now(), left = 40, bottom = h - 18;
    var max = 1;
    samples.forEach(function (s) { max = Math.max(max, s.readOps, s.writeOps); });
    g.strokeStyle = '#e7eaf0'; g.fillStyle = '#6b7585'; g.font = '11px system-ui';
    for (var i = 0; i <= 4; i++) {
      var y = bottom - (bottom - 8) * i / 4;
      g.beginPath(); g.moveTo(left, y); g.lineTo(w, y); g.stroke();
      g.fillText((max * i / 4).toFixed(max < 8 ? 1 : 0), 2, y + 4);
    }
    g.fillText('-5 min', left, h - 4); g.fillText('now', w - 24, h - 4);
    function line(key, color) {
      g.strokeStyle = color; g.lineWidth = 2; g.beginPath();
      samples.forEach(function (s, j) {
        var x = left + (w - left) * (1 - (now - s.atUnixMs) / 1000 / spanS);
        var y = bottom - (bottom - 8) * s[key] / max;
        if (j === 0) g.moveTo(x, y); else g.lineTo(x, y);
      });
      g.stroke();
    }
    line('readOps', '#3b82f6'); line('writeOps', '#f59e0b');
    var last = samples[samples.length - 1];
    document.getElementById('rate').textContent = last
      ? 'now: ' + last.readOps.toFixed(1) + ' reads/s, ' + last.writeOps.toFixed(1) + ' writes/s, ' + bytes(Math.round(last.writeBytes)) + '/s committed'
      : '';
  }

  function currentDir() {
    var p = decodeURIComponent(location.hash.slice(1));
    return p && p.charAt(0) === '/' ? p : '/';
  }
  function join(dir, name) { return dir === '/' ? '/' + name : dir + '/' + name; }

  function renderCrumbs(dir) {
    var box = document.getElementById('crumbs');
    box.textContent = '';
    var parts = dir.split('/').filter(Boolean), acc = '';
    box.appendChild(el('a', { href: '#/', text: '/' }));
    parts.forEach(function (p, i) {
      acc += '/' + p;
      box.appendChild(el('a', { href: '#' + encodeURIComponent(acc), text: p + (i < parts.length - 1 ? '/' : '') }));
    });
  }

  function loadDir() {
    var dir = currentDir();
    renderCrumbs(dir);
    return getJson('/api/ls?path=' + encodeURIComponent(dir)).then(function (page) {
      var ul = document.getElementById('listing');
      ul.textContent = '';
      if (page.entries.length === 0) ul.appendChild(el('li', { class: 'muted', text: '(empty)' }));
      page.entries.forEach(function (e) {
        var path = join(dir, e.name);
        var link = el('a', { text: e.name + (e.type === 'DIRECTORY' ? '/' : '') });
        link.addEventListener('click', function () {
          if (e.type === 'DIRECTORY') location.hash = encodeURIComponent(path);
          else { selectedFile = path; loadFile(); loadDir(); }
        });
        ul.appendChild(el('li', { 'data-name': e.name, 'data-type': e.type, class: selectedFile === path ? 'selected' : '' }, [
          link, el('span', { class: 'muted', text: e.type === 'DIRECTORY' ? '' : bytes(e.size) + ' · ' + e.chunkCount + ' chunks · r' + e.replication })
        ]));
      });
      if (!page.eof) ul.appendChild(el('li', { class: 'muted', text: '… more entries (first ' + page.entries.length + ' shown)' }));
    });
  }

  function loadFile() {
    if (!selectedFile) return Promise.resolve();
    var path = selectedFile;
    return getJson('/api/file?path=' + encodeURIComponent(path)).then(function (f) {
      document.getElementById('file-name').textContent = path;
      document.getElementById('file-meta').textContent = bytes(f.size) + ', replication ' + f.replication + ', chunk size ' + bytes(f.chunkSize) + ', sha256 ' + (f.sha256 ? f.sha256.slice(0, 16) + '…' : '–');
      var body = document.querySelector('#file tbody');
      body.textContent = '';
      f.chunks.forEach(function (c) {
        var reps = c.replicas.map(function (r) { return r.serverId + ' (' + r.address + ')'; }).join(', ');
        body.appendChild(el('tr', { 'data-chunk': String(c.index), 'data-replicas': c.replicas.map(function (r) { return r.serverId; }).join(' ') }, [
          el('td', { class: 'num', text: String(c.index) }), el('td', { class: 'num', text: String(c.handle) }),
          el('td', { class: 'num', text: String(c.version) }), el('td', { class: c.replicas.length ? '' : 'error', text: reps || 'no live replica' })
        ]));
      });
    }, function (err) {
      document.getElementById('file-meta').textContent = path + ': ' + err.message;
      document.querySelector('#file tbody').textContent = '';
    });
  }

  function refresh() {
    return Promise.all([
      getJson('/api/summary').then(renderSummary),
      getJson('/api/nodes').then(function (r) { renderNodes(r.nodes); }),
      getJson('/api/throughput').then(renderChart),
      loadDir(), loadFile()
    ]).then(function () {
      document.getElementById('error').textContent = '';
      document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    }, function (err) {
      document.getElementById('error').textContent = 'master unreachable: ' + err.message;
    });
  }

  window.addEventListener('hashchange', function () { loadDir(); });
  function loop() { refresh().then(function () { setTimeout(loop, refreshMs); }); }
  loop();
})();
</script>
</body>
</html>
`;
