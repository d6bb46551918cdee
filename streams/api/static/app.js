// contraflow dashboard: plain JS, no build step. Routes: #/ (events) and #/event/ID (one event).
"use strict";

const app = document.getElementById("app");
const live = document.getElementById("live");
let query = "";
let onlyContradictions = false;
let minSeverity = "";
let flashIds = new Set();
let renderSeq = 0;
let lastHtml = "";

// Replace the page only when it changed (keeps hover, focus and scroll while nothing happens).
function paint(html) {
  if (html === lastHtml) return false;
  lastHtml = html;
  app.innerHTML = html;
  return true;
}

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}
// Only http(s) links become hrefs, whatever the store holds (the API refuses other schemes too).
function safeUrl(u) {
  try {
    const url = new URL(String(u ?? ""), location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
  } catch (e) {
    return "";
  }
}
/** A source that names no outlet ("unknown", "unknown (story.txt)") is no independent origin. */
function isUnknown(name) {
  return !name || name === "unknown" || String(name).startsWith("unknown (");
}
function when(iso, dateOnly) {
  if (!iso) return "";
  if (dateOnly) return String(iso).slice(0, 10);  // the source gave a date, not a time
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}
// With CONTRAFLOW_API_READ_TOKEN set, the token is exchanged once (form, or a #token=... link) for an
// HttpOnly session cookie: no script can read it, and it never goes into a URL or into storage.
async function openSession(token) {
  const r = await fetch("/session", {method: "POST", credentials: "same-origin",
                                     headers: {"Content-Type": "application/json"}, body: JSON.stringify({token})});
  if (!r.ok) { toast("wrong token"); return; }
  lastHtml = "";
  connect();
  refresh();
}
function askForToken() {
  if (!paint(`
    <form id="login" class="login">
      <p>This service needs its read token (CONTRAFLOW_API_READ_TOKEN).</p>
      <label>Read token <input id="token" type="password" autocomplete="off"></label>
      <button type="submit">Open</button>
    </form>`)) return;
  document.getElementById("login").addEventListener("submit", ev => {
    ev.preventDefault();
    openSession(document.getElementById("token").value);
  });
}
class Unauthorized extends Error {}
class NotFound extends Error {}
function checked(url, status) {
  if (status === 401) throw new Unauthorized(url);
  if (status === 404) throw new NotFound(url);
  if (status < 200 || status >= 300) throw new Error(url + ": HTTP " + status);
}
async function getJSON(url) {
  const r = await fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"});
  checked(url, r.status);
  return r.json();
}
/** The first page's data, read while the page is still loading. A fetch() does not hold the page's load
 * event, so the page used to finish loading (and headless screenshots be taken) with only the header
 * drawn, the data still on its way: in 5 of 12 captures. Read synchronously here, once, the first paint
 * is the whole page; every later update is asynchronous. */
function getJSONNow(url) {
  const x = new XMLHttpRequest();
  x.open("GET", url, false);
  x.setRequestHeader("Accept", "application/json");
  x.send();
  checked(url, x.status);
  return JSON.parse(x.responseText);
}
function toast(text) {
  const t = document.getElementById("toast");
  t.textContent = text; t.hidden = false;
  clearTimeout(toast.timer); toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
}

function listUrl() {
  const params = new URLSearchParams({limit: "200"});
  if (query) params.set("q", query);
  if (onlyContradictions) params.set("has_contradictions", "true");
  if (minSeverity) params.set("severity", minSeverity);
  return "/events?" + params;
}
async function renderList() {
  const seq = ++renderSeq;
  const events = await getJSON(listUrl());
  if (seq === renderSeq) drawList(events);
}
function drawList(events) {
  const rows = events.map(e => `
    <tr class="event-row${flashIds.has(e.id) ? " flash" : ""}" data-id="${esc(e.id)}">
      <td><span class="count${e.contradiction_count ? " hot" : ""}">${esc(e.contradiction_count)}</span></td>
      <td><a href="#/event/${encodeURIComponent(e.id)}">${esc(e.title || e.id)}</a></td>
      <td>${esc(e.article_ids.length)}</td>
      <td>${esc(e.sources.join(", "))}</td>
      <td class="muted">${esc(when(e.updated_at))}</td>
    </tr>`).join("");
  flashIds = new Set();
  const focused = document.activeElement && document.activeElement.id === "q";
  const changed = paint(`
    <div class="toolbar">
      <input id="q" type="search" placeholder="search titles, sources, claims" value="${esc(query)}">
      <label><input id="onlyc" type="checkbox" ${onlyContradictions ? "checked" : ""}> with contradictions only</label>
      <label>severity at least <select id="sev">${["", "low", "medium", "high"].map(v => `<option value="${v}"${v === minSeverity ? " selected" : ""}>${v || "any"}</option>`).join("")}</select></label>
      <span class="muted" id="nevents">${events.length} event(s), newest first</span>
    </div>
    <table id="events">
      <thead><tr><th>contradictions</th><th>event</th><th>articles</th><th>sources</th><th title="when contraflow last changed the event (not the news time)">last processed</th></tr></thead>
      <tbody>${rows || `<tr><td colspan="5" class="muted">No events yet: POST an article to /articles.</td></tr>`}</tbody>
    </table>`);
  if (!changed) return;
  const q = document.getElementById("q");
  q.addEventListener("input", () => { query = q.value; clearTimeout(renderList.t); renderList.t = setTimeout(refresh, 250); });
  if (focused) { q.focus(); q.setSelectionRange(q.value.length, q.value.length); }
  document.getElementById("onlyc").addEventListener("change", ev => { onlyContradictions = ev.target.checked; refresh(); });
  document.getElementById("sev").addEventListener("change", ev => { minSeverity = ev.target.value; refresh(); });
  app.querySelectorAll("tr.event-row").forEach(tr => tr.addEventListener("click", ev => {
    if (ev.target.tagName !== "A") location.hash = "#/event/" + encodeURIComponent(tr.dataset.id);
  }));
}

/** A fact's key (slot and subject): how rows and contradictions are matched, never what a reader sees. */
function slotKey(slot, subject) { return slot + (subject ? " · " + subject : ""); }
/** What a reader sees for a fact: the first human ``label`` any of the items (a contradiction, its claims)
 * carries; only without one, the key. */
function labelOf(...items) {
  for (const it of items) if (it && typeof it.label === "string" && it.label.trim()) return it.label.trim();
  const first = items.find(Boolean);
  return first ? slotKey(first.slot, first.subject) : "";
}

/** The quote with the claim's value marked where the quote writes it (escaped first, then marked). */
function marked(quote, value) {
  const q = esc(quote), v = esc(String(value ?? "").replace(/^(about|at least|more than|less than|up to) /, ""));
  const i = v ? q.toLowerCase().indexOf(v.toLowerCase()) : -1;
  return i < 0 ? q : q.slice(0, i) + "<mark>" + q.slice(i, i + v.length) + "</mark>" + q.slice(i + v.length);
}
/** One claim as evidence: outlet (linked to its article), who said it, when published, the quote. */
function evidence(c, arts) {
  const a = arts.get(c.article_id);
  const href = a ? safeUrl(a.url) : "";
  const outlet = href ? `<a href="${esc(href)}" rel="noopener noreferrer">${esc(c.source)}</a>` : esc(c.source);
  const who = c.attributed_to ? ` <span class="who">per ${esc(c.attributed_to)}</span>` : "";
  const at = c.published_at || (a && a.published_at);
  const dateOnly = Boolean(a && a.published_date_only);
  return `<div class="evidence">${outlet}${who}${at ? ` <span class="muted">${esc(when(at, dateOnly))}</span>` : ""}
    <div class="quote">“${marked(c.quote, c.value)}”</div></div>`;
}
const LABEL_CHAR_W = 7, LABEL_LINE_H = 13;  // a value label at 11px: a generous width per character, a line
/** Boxes for the labels of a chart's points, each as near its point as it fits without touching another
 * label or point: reports published at one time with close figures ("12", "at least 12") otherwise print
 * their values over each other. Tries the point's right, then its left, then a line lower, higher, and
 * so on; ``null`` when some label finds no room between ``top`` and ``bottom`` (make the chart taller), unless
``anyway``: then such a label goes beside its point, where it may touch another. */
function placeLabels(items, W, top, bottom, anyway = false) {
  const taken = items.map(it => ({x0: it.px - 4, x1: it.px + 4, y0: it.py - 4, y1: it.py + 4}));
  const clash = r => taken.some(q => r.x0 < q.x1 + 2 && q.x0 < r.x1 + 2 && r.y0 < q.y1 + 1 && q.y0 < r.y1 + 1);
  const out = [];
  for (const it of items) {
    const w = it.text.length * LABEL_CHAR_W;
    let box = null;
    for (let step = 0; step <= 24 && !box; step++) {
      const dy = (step % 2 ? 1 : -1) * Math.ceil(step / 2) * LABEL_LINE_H;  // 0, +13, -13, +26, ...
      for (const right of [true, false]) {
        const x0 = right ? it.px + 7 : it.px - 7 - w, base = it.py - 5 + dy;
        const r = {x0, x1: x0 + w, y0: base - 10, y1: base + 3, base, right, moved: dy !== 0};
        if (r.x0 >= 1 && r.x1 <= W - 1 && r.y0 >= top && r.y1 <= bottom && !clash(r)) { box = r; break; }
      }
    }
    if (!box && !anyway) return null;
    box = box || {x0: it.px + 7, x1: it.px + 7 + w, y0: it.py - 15, y1: it.py - 2, base: it.py - 5, right: true, moved: false};
    taken.push(box);
    out.push({...it, box});
  }
  return out;
}
/** A small chart of one contradiction's reports over publication time: a point per report, a line per
 * outlet; numbers on their scale, other values one row each. Drawn here as SVG (no library, no CDN). */
function timeline(con, claims, title) {
  const pts = [];
  con.sides.forEach((side, k) => side.claim_ids.forEach(id => {
    const c = claims.get(id);
    if (!c || !c.published_at) return;
    const t = Date.parse(c.published_at);
    const low = c.typed && typeof c.typed.low === "number" ? c.typed.low : null;
    const high = c.typed && typeof c.typed.high === "number" ? c.typed.high : null;
    pts.push({t, y: low ?? high ?? k, numeric: low !== null || high !== null, c, k});
  }));
  if (pts.length < 2) return "";
  const W = 460, P = 28;
  const ts = pts.map(p => p.t), ys = pts.map(p => p.y);
  const t0 = Math.min(...ts), t1 = Math.max(...ts), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const bySource = new Map();
  for (const p of pts.sort((a, b) => a.t - b.t)) {
    if (!bySource.has(p.c.source)) bySource.set(p.c.source, []);
    bySource.get(p.c.source).push(p);
  }
  const colours = ["#1f5fa8", "#c62828", "#2e7d32", "#8a5a00", "#6a1b9a", "#00838f", "#ad1457", "#455a64"];
  const colour = new Map([...bySource.keys()].map((s, i) => [s, colours[i % colours.length]]));
  // taller until every label has room: the points spread apart as the chart grows
  const tallest = 120 + 40 * LABEL_LINE_H;
  let H = 120, labels = null, x = null, y = null;
  for (; ; H += LABEL_LINE_H) {
    const h = H;
    x = t => P + (t1 > t0 ? (t - t0) / (t1 - t0) : 0.5) * (W - 2 * P);
    y = v => h - P + 8 - (y1 > y0 ? (v - y0) / (y1 - y0) : 0.5) * (h - 2 * P);
    const seen = new Set(), items = [];
    for (const [source, list] of bySource) for (const p of list) {
      const px = x(p.t), py = y(p.y), key = `${p.c.value}|${px.toFixed(0)}|${py.toFixed(0)}`;
      if (seen.has(key)) continue;  // the same figure at the same point: one label
      seen.add(key);
      items.push({px, py, text: String(p.c.value ?? ""), col: colour.get(source)});
    }
    labels = placeLabels(items, W, 0, H - P + 12, H >= tallest);
    if (labels) break;
  }
  let body = "";
  for (const [source, list] of bySource) {
    const col = colour.get(source);
    if (list.length > 1) body += `<polyline fill="none" stroke="${col}" stroke-width="1.5" points="${list.map(p => `${x(p.t).toFixed(1)},${y(p.y).toFixed(1)}`).join(" ")}"/>`;
    for (const p of list) {
      body += `<circle cx="${x(p.t).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="4" fill="${col}"><title>${esc(source)}: ${esc(p.c.value)} · ${esc(when(p.c.published_at))}</title></circle>`;
    }
  }
  for (const l of labels) {
    const b = l.box;
    if (b.moved) {  // a faint leader from the point to its label, moved off its line
      body += `<line class="leader" x1="${l.px.toFixed(1)}" y1="${l.py.toFixed(1)}" x2="${(b.right ? b.x0 - 1 : b.x1 + 1).toFixed(1)}" y2="${(b.base - 4).toFixed(1)}" stroke="${l.col}" stroke-opacity=".45"/>`;
    }
    body += `<text class="label" x="${b.x0.toFixed(1)}" y="${b.base.toFixed(1)}" font-size="11" fill="${l.col}">${esc(l.text)}</text>`;
  }
  const axis = `<line x1="${P}" y1="${H - P + 14}" x2="${W - P}" y2="${H - P + 14}" stroke="#bbb"/>
    <text x="${P}" y="${H - 2}" font-size="10" fill="#6b6b70">${esc(when(new Date(t0).toISOString()))}</text>
    <text x="${W - P}" y="${H - 2}" font-size="10" fill="#6b6b70" text-anchor="end">${t1 > t0 ? esc(when(new Date(t1).toISOString())) : ""}</text>`;
  return `<svg class="timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title || slotKey(con.slot, con.subject))} over time">${axis}${body}</svg>`;
}

const SEVERITY_RANK = {high: 2, medium: 1, low: 0};
function rank(c) { return SEVERITY_RANK[c.severity || "high"]; }
/** "3 outlets, 1 origin (AP)": a side's outlets and the independent origins they carry. */
function support(side) {
  const outlets = (side.sources || []).length;
  const origins = side.by_origin ? Object.keys(side.by_origin) : null;
  const head = `${outlets} outlet${outlets === 1 ? "" : "s"}`;
  if (!origins) return head;
  const named = origins.length <= 3 ? ` (${origins.join(", ")})` : "";
  return `${head}, ${origins.length} origin${origins.length === 1 ? "" : "s"}${named}`;
}

function eventUrl(id) { return "/events/" + encodeURIComponent(id); }
function drawMissing(id) { paint(`<p><a href="#/">← all events</a></p><p>No event ${esc(id)}.</p>`); }
async function renderEvent(id) {
  const seq = ++renderSeq;
  let ev;
  try {
    ev = await getJSON(eventUrl(id));
  } catch (e) {
    if (e instanceof Unauthorized) throw e;
    if (seq === renderSeq) drawMissing(id);
    return;
  }
  if (seq === renderSeq) drawEvent(ev);
}
function drawEvent(ev) {
  const closed = new Set([...app.querySelectorAll("details.val:not([open])")].map(d => d.dataset.claim));
  const sources = [...new Set(ev.articles.map(a => a.source))].sort();
  const conByKey = new Map();
  for (const c of ev.contradictions) conByKey.set(slotKey(c.slot, c.subject), c);
  const groups = new Map();
  for (const c of ev.claims) {
    if (c.scope === "other") continue;
    const k = slotKey(c.slot, c.subject);
    if (!groups.has(k)) groups.set(k, new Map());
    const bySource = groups.get(k);
    if (!bySource.has(c.source)) bySource.set(c.source, []);
    bySource.get(c.source).push(c);
  }
  // rows read as the facts' labels (sorted so), keyed by slot and subject
  const rowLabel = new Map([...groups].map(([k, bySource]) => [k, labelOf(conByKey.get(k), ...[...bySource.values()].flat())]));
  const keys = [...groups.keys()].sort((a, b) => (conByKey.has(b) - conByKey.has(a)) || rowLabel.get(a).localeCompare(rowLabel.get(b)));
  const rows = keys.map(k => {
    const con = conByKey.get(k);
    const cls = con ? (con.kind === "evolving" ? "evolving" : "contradicted") : "";
    const cells = sources.map(s => {
      const claims = groups.get(k).get(s) || [];
      return `<td>${claims.map(c => `
        <details class="val" data-claim="${esc(c.id)}"${closed.has(c.id) ? "" : " open"}>
          <summary title="${esc(c.quote)}">${esc(c.value)}${c.attributed_to ? ` <span class="who">per ${esc(c.attributed_to)}</span>` : ""}${c.hedge ? ` <span class="who">(${esc(c.hedge)})</span>` : ""}</summary>
          <div class="quote">“${esc(c.quote)}”</div>
        </details>`).join("")}</td>`;
    }).join("");
    return `<tr class="${cls}" data-slot="${esc(k)}"><td class="slot">${esc(rowLabel.get(k))}${con ? `<span class="badge ${esc(con.kind)}">${esc(con.kind)}</span>` : ""}</td>${cells}</tr>`;
  }).join("");
  const arts = new Map(ev.articles.map(a => [a.id, a]));
  const claimById = new Map(ev.claims.map(c => [c.id, c]));
  const conLabel = c => labelOf(c, ...c.sides.flatMap(s => s.claim_ids.map(id => claimById.get(id))));
  const ordered = [...ev.contradictions].sort((a, b) => (rank(b) - rank(a)) || conLabel(a).localeCompare(conLabel(b)));
  const cons = ordered.map(c => `
    <div class="con ${esc(c.kind)}" data-id="${esc(c.id)}">
      <strong>${esc(conLabel(c))}</strong><span class="badge ${esc(c.kind)}">${esc(c.kind)}</span>
      <span class="badge severity-${esc(c.severity || "high")}">${esc(c.severity || "high")}</span>
      ${c.origin ? `<span class="muted"> within one origin: ${esc(c.origin)}</span>` : ""}
      <span class="muted"> detected ${esc(when(c.detected_at))}</span>
      <div class="sides">${c.sides.map(s => `<div class="side"><strong>${esc(s.value)}</strong> <span class="muted support">${esc(support(s))}</span>
        ${s.claim_ids.map(id => claimById.get(id)).filter(Boolean).map(cl => evidence(cl, arts)).join("")}</div>`).join("")}</div>
      ${timeline(c, claimById, conLabel(c))}
    </div>`).join("");
  const hist = (ev.history || []).map(h => {
    const a = arts.get(h.article_id);
    const href = a ? safeUrl(a.url) : "";
    const label = a ? `${esc(a.source)}: ${href ? `<a href="${esc(href)}" rel="noopener noreferrer">${esc(a.title || a.id)}</a>` : esc(a.title || a.id)}` : esc(h.article_id);
    return `<li><span class="muted">${esc(when(h.at))}</span> ${esc(h.change)} — ${label} (${h.claims_added} claim(s)${h.new_contradictions.length ? `, <strong>${h.new_contradictions.length} new contradiction(s)</strong>` : ""})</li>`;
  }).join("");
  paint(`
    <p><a href="#/">← all events</a></p>
    <h1 id="event-title">${esc(ev.title || ev.id)}</h1>
    <p class="muted">${ev.articles.length} article(s) from ${sources.length} source(s), ${new Set(ev.articles.map(a => a.origin || a.source).filter(o => !isUnknown(o))).size} origin(s) · latest report published ${esc(when(ev.articles.map(a => a.published_at).filter(Boolean).sort().pop()) || "unknown")} · processed ${esc(when(ev.updated_at))} · <code>${esc(ev.id)}</code></p>
    <h2>Contradictions (${ev.contradictions.length})</h2>
    <div id="contradictions">${cons || `<p class="muted">None so far.</p>`}</div>
    <h2>Who said what</h2>
    <p class="muted">Each value with its quote: click to fold it.</p>
    <table class="slots" id="slots">
      <thead><tr><th>slot</th>${sources.map(s => `<th>${esc(s)}</th>`).join("")}</tr></thead>
      <tbody>${rows || `<tr><td colspan="${sources.length + 1}" class="muted">No claims extracted.</td></tr>`}</tbody>
    </table>
    <h2>History</h2>
    <ol class="history">${hist}</ol>`);
}

function route() {
  const m = location.hash.match(/^#\/event\/(.+)$/);
  return m ? {view: "event", id: decodeURIComponent(m[1])} : {view: "list"};
}
async function refresh() {
  const r = route();
  try {
    if (r.view === "event") await renderEvent(r.id); else await renderList();
  } catch (e) {
    if (e instanceof Unauthorized) askForToken(); else console.error(e);
  }
}

let es = null;
function connect() {
  if (es) es.close();
  es = new EventSource("/alerts/stream");  // same origin: the session cookie goes with it
  const mine = es;
  es.onopen = () => { live.textContent = "● live"; live.classList.remove("off"); };
  es.onerror = () => {
    live.textContent = "● reconnecting"; live.classList.add("off");
    // an HTTP error (401 before the session, 503 while Redis is down) closes it for good: try again later
    if (mine.readyState === EventSource.CLOSED) setTimeout(() => { if (es === mine) connect(); }, 3000);
  };
  es.addEventListener("alert", msg => {
    const a = JSON.parse(msg.data);
    const c = a.contradiction;
    flashIds.add(a.event_id);
    toast(`New ${c.kind} on ${labelOf(c, ...c.sides.flatMap(s => s.claims || []))}: ` + c.sides.map(s => `${s.value} (${(s.sources || []).join(", ")})`).join(" vs "));
    const r = route();
    if (r.view === "list" || r.id === a.event_id) refresh();
  });
}

// A #token=... link: a fragment never reaches the server or its log; dropped from the address at once.
function tokenFromLink() {
  const m = location.hash.match(/^#token=(.+)$/);
  if (!m) return false;
  history.replaceState(null, "", location.pathname + location.search);
  openSession(decodeURIComponent(m[1]));
  return true;
}
/** The first paint, drawn before this script returns (see getJSONNow); on any error, the usual way. */
function firstPaint() {
  const r = route();
  try {
    if (r.view === "event") {
      try {
        drawEvent(getJSONNow(eventUrl(r.id)));
      } catch (e) {
        if (e instanceof NotFound) drawMissing(r.id); else throw e;
      }
    } else {
      drawList(getJSONNow(listUrl()));
    }
  } catch (e) {
    if (e instanceof Unauthorized) askForToken(); else refresh();
  }
}
if (!tokenFromLink()) firstPaint();
window.addEventListener("hashchange", () => { if (!tokenFromLink()) refresh(); });
setInterval(refresh, 3000);  // events without contradictions raise no alert: poll for them too
connect();
