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
function when(iso) {
  if (!iso) return "";
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
async function getJSON(url) {
  const r = await fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"});
  if (r.status === 401) throw new Unauthorized(url);
  if (!r.ok) throw new Error(url + ": HTTP " + r.status);
  return r.json();
}
function toast(text) {
  const t = document.getElementById("toast");
  t.textContent = text; t.hidden = false;
  clearTimeout(toast.timer); toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
}

async function renderList() {
  const seq = ++renderSeq;
  const params = new URLSearchParams({limit: "200"});
  if (query) params.set("q", query);
  if (onlyContradictions) params.set("has_contradictions", "true");
  if (minSeverity) params.set("severity", minSeverity);
  const events = await getJSON("/events?" + params);
  if (seq !== renderSeq) return;
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

function slotKey(slot, subject) { return slot + (subject ? " · " + subject : ""); }

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
  return `<div class="evidence">${outlet}${who}${at ? ` <span class="muted">${esc(when(at))}</span>` : ""}
    <div class="quote">“${marked(c.quote, c.value)}”</div></div>`;
}
/** A small chart of one contradiction's reports over publication time: a point per report, a line per
 * outlet; numbers on their scale, other values one row each. Drawn here as SVG (no library, no CDN). */
function timeline(con, claims) {
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
  const W = 460, H = 120, P = 28;
  const ts = pts.map(p => p.t), ys = pts.map(p => p.y);
  const t0 = Math.min(...ts), t1 = Math.max(...ts), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const x = t => P + (t1 > t0 ? (t - t0) / (t1 - t0) : 0.5) * (W - 2 * P);
  const y = v => H - P + 8 - (y1 > y0 ? (v - y0) / (y1 - y0) : 0.5) * (H - 2 * P);
  const bySource = new Map();
  for (const p of pts.sort((a, b) => a.t - b.t)) {
    if (!bySource.has(p.c.source)) bySource.set(p.c.source, []);
    bySource.get(p.c.source).push(p);
  }
  const colours = ["#1f5fa8", "#c62828", "#2e7d32", "#8a5a00", "#6a1b9a", "#00838f", "#ad1457", "#455a64"];
  let i = 0, body = "";
  for (const [source, list] of bySource) {
    const col = colours[i++ % colours.length];
    if (list.length > 1) body += `<polyline fill="none" stroke="${col}" stroke-width="1.5" points="${list.map(p => `${x(p.t).toFixed(1)},${y(p.y).toFixed(1)}`).join(" ")}"/>`;
    for (const p of list) {
      body += `<circle cx="${x(p.t).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="4" fill="${col}"><title>${esc(source)}: ${esc(p.c.value)} · ${esc(when(p.c.published_at))}</title></circle>`;
      body += `<text x="${(x(p.t) + 6).toFixed(1)}" y="${(y(p.y) - 6).toFixed(1)}" font-size="11" fill="${col}">${esc(p.c.value)}</text>`;
    }
  }
  const axis = `<line x1="${P}" y1="${H - P + 14}" x2="${W - P}" y2="${H - P + 14}" stroke="#bbb"/>
    <text x="${P}" y="${H - 2}" font-size="10" fill="#6b6b70">${esc(when(new Date(t0).toISOString()))}</text>
    <text x="${W - P}" y="${H - 2}" font-size="10" fill="#6b6b70" text-anchor="end">${t1 > t0 ? esc(when(new Date(t1).toISOString())) : ""}</text>`;
  return `<svg class="timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(con.slot)} over time">${axis}${body}</svg>`;
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

async function renderEvent(id) {
  const seq = ++renderSeq;
  let ev;
  try {
    ev = await getJSON("/events/" + encodeURIComponent(id));
  } catch (e) {
    if (e instanceof Unauthorized) throw e;
    if (seq === renderSeq) paint(`<p><a href="#/">← all events</a></p><p>No event ${esc(id)}.</p>`);
    return;
  }
  if (seq !== renderSeq) return;
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
  const keys = [...groups.keys()].sort((a, b) => (conByKey.has(b) - conByKey.has(a)) || a.localeCompare(b));
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
    return `<tr class="${cls}" data-slot="${esc(k)}"><td class="slot">${esc(k)}${con ? `<span class="badge ${esc(con.kind)}">${esc(con.kind)}</span>` : ""}</td>${cells}</tr>`;
  }).join("");
  const arts = new Map(ev.articles.map(a => [a.id, a]));
  const claimById = new Map(ev.claims.map(c => [c.id, c]));
  const ordered = [...ev.contradictions].sort((a, b) => (rank(b) - rank(a)) || slotKey(a.slot, a.subject).localeCompare(slotKey(b.slot, b.subject)));
  const cons = ordered.map(c => `
    <div class="con ${esc(c.kind)}" data-id="${esc(c.id)}">
      <strong>${esc(slotKey(c.slot, c.subject))}</strong><span class="badge ${esc(c.kind)}">${esc(c.kind)}</span>
      <span class="badge severity-${esc(c.severity || "high")}">${esc(c.severity || "high")}</span>
      ${c.origin ? `<span class="muted"> within one origin: ${esc(c.origin)}</span>` : ""}
      <span class="muted"> detected ${esc(when(c.detected_at))}</span>
      <div class="sides">${c.sides.map(s => `<div class="side"><strong>${esc(s.value)}</strong> <span class="muted support">${esc(support(s))}</span>
        ${s.claim_ids.map(id => claimById.get(id)).filter(Boolean).map(cl => evidence(cl, arts)).join("")}</div>`).join("")}</div>
      ${timeline(c, claimById)}
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
    <p class="muted">${ev.articles.length} article(s) from ${sources.length} source(s), ${new Set(ev.articles.map(a => a.origin || a.source)).size} origin(s) · latest report published ${esc(when(ev.articles.map(a => a.published_at).filter(Boolean).sort().pop()) || "unknown")} · processed ${esc(when(ev.updated_at))} · <code>${esc(ev.id)}</code></p>
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
    toast(`New ${c.kind} on ${c.slot}: ` + c.sides.map(s => `${s.value} (${(s.sources || []).join(", ")})`).join(" vs "));
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
tokenFromLink();
window.addEventListener("hashchange", () => { if (!tokenFromLink()) refresh(); });
setInterval(refresh, 3000);  // events without contradictions raise no alert: poll for them too
connect();
refresh();
