// The scripts render injects with Runtime.evaluate (private to page_renderer.cc). Boxes are
// Range.getClientRects() and hits document.elementFromPoint() (CSSOM View §6, §11).
#pragma once

namespace warcpairs::render::scripts {

// Every text node under <body> with a non-space character, outside script, style, noscript,
// template, textarea, title; hidden subtrees included (the visibility checks judge them).
// Keeps the nodes in window.__warcpairsNodes for kTokenBoxes; returns their texts.
inline constexpr const char* kTextNodes = R"js((() => {
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'TITLE', 'HEAD']);
  const nodes = [], texts = [];
  if (document.body) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode(n) {
        const p = n.parentElement;
        if (!p || skip.has(p.tagName.toUpperCase())) return NodeFilter.FILTER_REJECT;
        return /\S/.test(n.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      }
    });
    while (walker.nextNode()) { nodes.push(walker.currentNode); texts.push(walker.currentNode.data); }
  }
  window.__warcpairsNodes = nodes;
  return texts;
})())js";

// A function of (spec, W, H): spec is [node, start16, end16, ...] per token. Returns
// {fonts: [family...], tokens: [[reason, font, x, y, w, h, ...boxes], ...]} where reason is ""
// for a visible token or the first check it failed (a token of a text node wholly outside the
// viewport is "offscreen" with no boxes: they are not measured):
//   empty_box, display, visibility, opacity, zero_font, transparent_text, same_colour, low_contrast,
//   clip_path, offscreen, clipped, covered.
inline constexpr const char* kTokenBoxes = R"js((function (spec, W, H) {
  const nodes = window.__warcpairsNodes || [];
  const cache = new Map();
  const fonts = [], fontIndex = new Map();
  const root = { hidden: '', clips: [], bg: [255, 255, 255, 1] };
  function rgba(c) {
    const m = /rgba?\(([^)]*)\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(s => s.length).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  // Per element: what its ancestors (and itself) impose on every text below it.
  function state(el) {
    if (!el) return root;
    let s = cache.get(el);
    if (s) return s;
    const up = state(el.parentElement);
    const cs = getComputedStyle(el);
    let hidden = up.hidden;
    if (!hidden) {
      if (cs.display === 'none') hidden = 'display';
      else if (parseFloat(cs.opacity) === 0) hidden = 'opacity';
      else if (cs.clipPath && cs.clipPath !== 'none') hidden = 'clip_path';
    }
    let clips = up.clips;
    const isRoot = el === document.documentElement || el === document.body;
    if (!isRoot && (cs.overflowX !== 'visible' || cs.overflowY !== 'visible')) {
      const r = el.getBoundingClientRect();
      clips = clips.concat([[r.left + el.clientLeft, r.top + el.clientTop, el.clientWidth, el.clientHeight]]);
    }
    const own = rgba(cs.backgroundColor);
    const bg = own && own[3] > 0 && cs.backgroundImage === 'none' ? own : up.bg;
    s = { hidden, clips, bg, cs };
    cache.set(el, s);
    return s;
  }
  // WCAG 2 relative luminance and contrast ratio; below 1.1 nobody reads the text.
  function lum(c) {
    const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  }
  function contrast(a, b) {
    const x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function fontOf(cs) {
    const f = cs.fontFamily;
    if (!fontIndex.has(f)) { fontIndex.set(f, fonts.length); fonts.push(f); }
    return fontIndex.get(f);
  }
  const out = [];
  const range = document.createRange();
  // A text node's whole box is the union of its tokens' boxes: a node wholly outside the viewport
  // makes all its tokens off-screen without a Range per token (most tokens of a long page).
  const nodeOff = new Map();
  function offscreenNode(node) {
    let off = nodeOff.get(node);
    if (off === undefined) {
      range.selectNodeContents(node);
      const r = range.getBoundingClientRect();
      off = r.width > 0 && r.height > 0 && (r.bottom <= 0 || r.top >= H || r.right <= 0 || r.left >= W);
      nodeOff.set(node, off);
    }
    return off;
  }
  for (let i = 0; i + 2 < spec.length; i += 3) {
    const node = nodes[spec[i]];
    const el = node && node.parentElement;
    if (!el || !node.isConnected) { out.push(['empty_box', -1]); continue; }
    if (offscreenNode(node)) { out.push(['offscreen', fontOf(state(el).cs)]); continue; }
    range.setStart(node, spec[i + 1]);
    range.setEnd(node, spec[i + 2]);
    const rects = Array.from(range.getClientRects()).filter(q => q.width > 0 && q.height > 0);
    const s = state(el);
    const cs = s.cs;
    const row = ['', fontOf(cs)];
    for (const q of rects) row.push(q.left, q.top, q.width, q.height);
    let why = '';
    if (!rects.length) why = 'empty_box';
    else if (s.hidden) why = s.hidden;
    else if (cs.visibility !== 'visible') why = 'visibility';
    else if (parseFloat(cs.fontSize) === 0) why = 'zero_font';
    else {
      const fg = rgba(cs.color);
      if (fg && fg[3] === 0) why = 'transparent_text';
      else if (fg && fg[0] === s.bg[0] && fg[1] === s.bg[1] && fg[2] === s.bg[2]) why = 'same_colour';
      else if (fg && contrast(fg, s.bg) < 1.1) why = 'low_contrast';
    }
    if (!why) for (const q of rects) {
      if (q.left < -0.5 || q.top < -0.5 || q.right > W + 0.5 || q.bottom > H + 0.5) { why = 'offscreen'; break; }
      if (s.clips.some(c => q.left < c[0] - 0.5 || q.top < c[1] - 0.5 ||
                             q.right > c[0] + c[2] + 0.5 || q.bottom > c[1] + c[3] + 0.5)) { why = 'clipped'; break; }
      const hit = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2);
      if (hit !== el && !(hit && el.contains(hit))) { why = 'covered'; break; }
    }
    row[0] = why;
    out.push(row);
  }
  return { fonts, tokens: out };
}))js";

// The pixel check's second screenshot: every text transparent (decorations and shadows too);
// kShowText takes the style out again.
inline constexpr const char* kHideText = R"js((() => {
  const s = document.createElement('style');
  s.id = '__warcpairs_hide_text';
  s.textContent = '*, *::before, *::after { color: transparent !important; ' +
    '-webkit-text-fill-color: transparent !important; text-shadow: none !important; ' +
    'text-decoration-color: transparent !important; -webkit-text-stroke-color: transparent !important; }';
  document.documentElement.appendChild(s);
  return true;
})())js";
inline constexpr const char* kShowText = R"js((() => {
  const s = document.getElementById('__warcpairs_hide_text');
  if (s) s.remove();
  return true;
})())js";

}  // namespace warcpairs::render::scripts
