// The review page (served by `warcpairs review`): loads pages of pairs from /api/pairs, shows
// them as cards, and posts decisions to /api/decisions with the version the reviewer saw, so a
// decision made meanwhile elsewhere is reported instead of overwritten. Every text from the
// data goes in through textContent (never innerHTML): markup in alt texts stays text.
'use strict';

const PAGE = 24;
const state = { filter: 'all', order: 'id', offset: 0, total: 0, cards: [] };
const $ = (id) => document.getElementById(id);

function show(message) { $('message').textContent = message || ''; }

function number(v, digits) { return v === null || v === undefined ? null : Number(v).toFixed(digits); }

function describe(counts) {
  return `accepted ${counts.accept} · rejected ${counts.reject} · edited ${counts.edit} · ` +
         `undecided ${counts.undecided} of ${counts.total} pairs`;
}

// The decision in force for a card ("reset" rows mean undecided).
function current(pair) { return pair.decision && pair.decision.action !== 'reset' ? pair.decision : null; }

function fillContext(p, segments) {
  p.replaceChildren();
  for (const s of segments) {
    if (s.k === 'span') {
      const m = document.createElement('mark');
      m.textContent = s.t;
      m.title = 'predicted span';
      p.append(m);
    } else if (s.k === 'image') {
      const m = document.createElement('span');
      m.className = 'imgmark';
      m.textContent = ' [image] ';
      p.append(m);
    } else {
      p.append(document.createTextNode(s.t));
    }
  }
}

function fillThumb(div, pair) {
  div.replaceChildren();
  if (pair.image) {
    const img = document.createElement('img');
    img.src = pair.image;  // always /image/ID from the server, never a URL from the page
    img.alt = '';
    img.loading = 'lazy';
    div.append(img);
  } else {
    const none = document.createElement('div');
    none.className = 'noimage';
    none.textContent = pair.outcome ? `no image (${pair.outcome})` : 'not downloaded yet';
    div.append(none);
  }
}

function fillPage(p, pair) {
  p.replaceChildren();
  const label = pair.page_title || pair.page_url;
  if (/^https?:\/\//i.test(pair.page_url)) {  // no javascript: or data: links from the data
    const a = document.createElement('a');
    a.href = pair.page_url;
    a.rel = 'noreferrer noopener';
    a.target = '_blank';
    a.textContent = label;
    p.append(a);
  } else {
    p.textContent = label;
  }
}

// Re-draws the parts of a card that a decision changes.
function paint(card) {
  const pair = card.pair, d = current(pair);
  const el = card.el;
  el.dataset.state = d ? d.action : 'undecided';
  el.dataset.version = String(card.version);
  el.querySelector('.desc .text').textContent = d && d.action === 'edit' ? d.text : pair.machine_text;
  el.querySelector('.machine .text').textContent = pair.machine_text;
  el.querySelector('.state').textContent = d
    ? `${{ accept: 'accepted', reject: 'rejected', edit: 'edited' }[d.action]} by ${d.reviewer}, ${d.decided_at}`
    : 'undecided';
}

function makeCard(pair, index) {
  const el = $('card').content.firstElementChild.cloneNode(true);
  const card = { pair, el, index, version: pair.version };
  el.dataset.imageId = String(pair.image_id);
  fillThumb(el.querySelector('.thumb'), pair);
  el.querySelector('.alt .text').textContent = pair.alt || '(no alt text)';
  fillContext(el.querySelector('.context'), pair.context);
  const scores = [['CLIP', number(pair.clip_caption, 3)], ['CLIP alt', number(pair.clip_alt, 3)],
                  ['span score', number(pair.prediction_score, 2)],
                  ['size', pair.width !== null && pair.height !== null ? `${pair.width}×${pair.height}` : null]];
  el.querySelector('.scores').textContent =
    [pair.image_id < 0 ? `list row ${-pair.image_id}` : `#${pair.image_id}`, ...scores.filter(([, v]) => v !== null).map(([k, v]) => `${k} ${v}`)].join(' · ');
  fillPage(el.querySelector('.page'), pair);
  for (const b of el.querySelectorAll('[data-act]'))
    b.addEventListener('click', () => act(card, b.dataset.act));
  const form = el.querySelector('.editor');
  form.addEventListener('submit', (e) => { e.preventDefault(); saveEdit(card); });
  form.querySelector('.cancel').addEventListener('click', () => closeEditor(card));
  form.querySelector('textarea').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); saveEdit(card); }
    if (e.key === 'Escape') { e.preventDefault(); closeEditor(card); }
    e.stopPropagation();  // typing is not a shortcut
  });
  el.addEventListener('focus', () => { state.focused = index; });
  paint(card);
  return card;
}

async function post(card, action, text) {
  const body = { image_id: card.pair.image_id, action, expected: card.version, reviewer: $('reviewer').value };
  if (action === 'edit') body.text = text;
  const status = card.el.querySelector('.status');
  status.textContent = 'saving…';
  let reply;
  try {
    const r = await fetch('/api/decisions', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                              body: JSON.stringify(body) });
    reply = await r.json();
    if (!r.ok && r.status !== 409) throw new Error(reply.error || `HTTP ${r.status}`);
  } catch (e) {
    status.textContent = `not saved: ${e.message}`;
    return false;
  }
  card.pair.decision = reply.decision;
  card.version = reply.version;
  paint(card);
  $('counts').textContent = describe(reply.counts);
  if (reply.status === 'conflict') {
    const d = current(card.pair);
    status.textContent = d ? `not saved: ${d.reviewer} decided this pair meanwhile (${d.action}); look again`
                           : 'not saved: someone changed this pair meanwhile; look again';
    return false;
  }
  status.textContent = '';
  return true;
}

async function act(card, action) {
  if (action === 'edit') return openEditor(card);
  if (await post(card, action) && action !== 'reset') focusCard(card.index + 1);
}

function openEditor(card) {
  const form = card.el.querySelector('.editor');
  const area = form.querySelector('textarea');
  const d = current(card.pair);
  area.value = d && d.action === 'edit' ? d.text : card.pair.machine_text;
  form.hidden = false;
  area.focus();
  area.select();
}

function closeEditor(card) {
  card.el.querySelector('.editor').hidden = true;
  card.el.focus();
}

async function saveEdit(card) {
  const text = card.el.querySelector('textarea').value.trim();
  if (!text) { card.el.querySelector('.status').textContent = 'a description cannot be empty'; return; }
  if (await post(card, 'edit', text)) {
    card.el.querySelector('.editor').hidden = true;
    focusCard(card.index + 1);
  }
}

function focusCard(i) {
  if (!state.cards.length) return;
  const card = state.cards[Math.max(0, Math.min(i, state.cards.length - 1))];
  card.el.focus();
  card.el.scrollIntoView({ block: 'nearest' });
}

async function load() {
  show('');
  document.body.dataset.ready = '';
  const q = new URLSearchParams({ filter: state.filter, order: state.order, offset: state.offset, limit: PAGE });
  let page;
  try {
    const r = await fetch(`/api/pairs?${q}`);
    page = await r.json();
    if (!r.ok) throw new Error(page.error || `HTTP ${r.status}`);
  } catch (e) {
    show(`could not load pairs: ${e.message}`);
    return;
  }
  state.total = page.total;
  if (!$('reviewer').value) $('reviewer').value = localStorage.getItem('warcpairs-reviewer') || page.reviewer;
  state.cards = page.pairs.map(makeCard);
  $('grid').replaceChildren(...state.cards.map((c) => c.el));
  // Contexts are long: scroll each to its highlight (the span, else the image marker).
  for (const c of state.cards) {
    const box = c.el.querySelector('.context'), at = box.querySelector('mark') || box.querySelector('.imgmark');
    if (at) box.scrollTop = Math.max(0, at.offsetTop - box.clientHeight / 3);
  }
  $('counts').textContent = describe(page.counts);
  const last = Math.min(state.offset + PAGE, state.total);
  $('position').textContent = state.total ? `${state.offset + 1}–${last} of ${state.total}` : 'no pairs';
  $('prev').disabled = state.offset === 0;
  $('next').disabled = last >= state.total;
  focusCard(0);
  document.body.dataset.ready = '1';  // tests wait for this
}

function turn(delta) {
  const offset = state.offset + delta * PAGE;
  if (offset < 0 || offset >= state.total) return;
  state.offset = offset;
  load();
}

const KEYS = {
  j: () => focusCard(state.focused + 1), ArrowDown: () => focusCard(state.focused + 1),
  k: () => focusCard(state.focused - 1), ArrowUp: () => focusCard(state.focused - 1),
  n: () => turn(1), p: () => turn(-1),
  a: (c) => act(c, 'accept'), r: (c) => act(c, 'reject'), e: (c) => act(c, 'edit'), u: (c) => act(c, 'reset'),
};

document.addEventListener('keydown', (e) => {
  if (e.target.closest && e.target.closest('input, select, textarea')) return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const f = KEYS[e.key], card = state.cards[state.focused || 0];
  if (!f || !card) return;
  e.preventDefault();
  f(card);
});

document.addEventListener('DOMContentLoaded', () => {
  state.focused = 0;
  $('filter').addEventListener('change', (e) => { state.filter = e.target.value; state.offset = 0; load(); });
  $('order').addEventListener('change', (e) => { state.order = e.target.value; state.offset = 0; load(); });
  $('reviewer').addEventListener('change', (e) => localStorage.setItem('warcpairs-reviewer', e.target.value));
  $('prev').addEventListener('click', () => turn(-1));
  $('next').addEventListener('click', () => turn(1));
  load();
});
