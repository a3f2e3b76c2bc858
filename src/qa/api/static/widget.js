/* qa chat widget: one file, no dependencies, no build step. Embed it with
 *   <script src="https://HOST/widget.js" data-endpoint="https://HOST" defer></script>
 * Optional: data-title, data-k (passages per answer, 1-50), data-suggestions ("First question?|Second?"),
 *   data-sources (glob patterns over source files, comma-separated: "news/2024/*, blog/*"; only those are searched).
 * Theming: `qa-widget { --qa-accent: #0a7d5a; }` in the host page's CSS.
 * Safety: the DOM is built with createElement and textContent only; nothing is ever parsed as HTML. */
(() => {
  "use strict";
  if (window.__qaWidget) return; // the tag pasted twice gives one widget
  window.__qaWidget = true;

  // currentScript is null in callbacks and module scripts; the src match covers those.
  const script =
    document.currentScript ||
    [...document.querySelectorAll("script[src]")].reverse().find((s) => /\/widget\.js(?:[?#].*)?$/.test(s.src));
  const data = script ? script.dataset : {};
  const scriptBase = script ? new URL(".", script.src).href : `${location.origin}/`;
  const endpoint = new URL(data.endpoint || scriptBase, document.baseURI).href.replace(/\/+$/, "");
  const k = Math.min(50, Math.max(1, parseInt(data.k, 10) || 5));
  const title = data.title || "Ask the documents";
  const sources = (data.sources || "").split(",").map((s) => s.trim()).filter(Boolean);
  const suggestions = (data.suggestions || "").split("|").map((s) => s.trim()).filter(Boolean);
  const SHOWN = 3; // an answer opens with the best few passages; the rest are one click away
  const TIMEOUT_MS = 30000;

  const CSS = `
:host { all: initial; --qa-accent: #4338ca; --qa-accent-ink: #fff; --qa-bg: #fff; --qa-soft: #f5f5f8;
  --qa-ink: #1c1d22; --qa-muted: #61646f; --qa-line: #e3e4ea; --qa-mark: #fdeeb0; --qa-error: #b42318; --qa-error-bg: #fef3f2; }
@media (prefers-color-scheme: dark) {
  :host { --qa-accent: #818cf8; --qa-accent-ink: #0d0e12; --qa-bg: #17181d; --qa-soft: #212229; --qa-ink: #ececf1;
    --qa-muted: #a3a6b3; --qa-line: #30323b; --qa-mark: #5c4a12; --qa-error: #fda29b; --qa-error-bg: #2d1614; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
/* On our own boxes, not :host: a host page's "qa-widget { color: red !important }" would beat :host. */
.panel, .launcher { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--qa-ink); text-align: left; letter-spacing: normal; }
button, textarea { font: inherit; color: inherit; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
:focus-visible { outline: 2px solid var(--qa-accent); outline-offset: 2px; }

.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; display: flex; align-items: center; gap: 8px;
  height: 52px; padding: 0 20px 0 16px; border: 0; border-radius: 26px; background: var(--qa-accent);
  color: var(--qa-accent-ink); font-weight: 600; cursor: pointer; box-shadow: 0 6px 24px rgba(20, 20, 40, .28);
  transition: transform .15s; }
.launcher:hover { transform: translateY(-1px); }
.launcher svg { width: 22px; height: 22px; flex: none; }
.launcher .when-open, .launcher[aria-expanded="true"] .when-closed,
.launcher[aria-expanded="true"] span { display: none; }
.launcher[aria-expanded="true"] .when-open { display: block; }
.launcher[aria-expanded="true"] { width: 52px; padding: 0; justify-content: center; }

.panel { position: fixed; right: 20px; bottom: 84px; z-index: 2147483000; display: flex; flex-direction: column;
  width: 400px; height: min(640px, calc(100vh - 110px)); background: var(--qa-bg); border: 1px solid var(--qa-line);
  border-radius: 16px; box-shadow: 0 16px 48px rgba(20, 20, 40, .24); overflow: hidden; animation: qa-in .18s ease-out; }
@keyframes qa-in { from { opacity: 0; transform: translateY(8px) scale(.98); } }
header { display: flex; align-items: flex-start; gap: 12px; padding: 14px 12px 12px 18px; border-bottom: 1px solid var(--qa-line); }
header > div { flex: 1; min-width: 0; }
h2 { margin: 0; font-size: 16px; line-height: 1.3; font-weight: 650; }
.sub { margin: 2px 0 0; font-size: 12.5px; color: var(--qa-muted); }
.close { display: grid; place-items: center; width: 36px; height: 36px; flex: none; border: 0; border-radius: 10px;
  background: transparent; cursor: pointer; color: var(--qa-muted); }
.close:hover { background: var(--qa-soft); color: var(--qa-ink); }
.close svg { width: 20px; height: 20px; }

.log { flex: 1; overflow-y: auto; overscroll-behavior: contain; padding: 16px 16px 8px; position: relative; }
.intro { margin: 8px 4px 16px; color: var(--qa-muted); font-size: 14px; }
.intro strong { display: block; color: var(--qa-ink); font-size: 15px; margin-bottom: 4px; }
.chips { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
.chip { border: 1px solid var(--qa-line); background: var(--qa-bg); border-radius: 999px; padding: 6px 12px;
  cursor: pointer; font-size: 13.5px; text-align: left; }
.chip:hover { border-color: var(--qa-accent); color: var(--qa-accent); }
.q { display: flex; justify-content: flex-end; margin: 4px 0 12px; }
.q p { margin: 0; max-width: 85%; padding: 9px 14px; border-radius: 16px 16px 4px 16px; background: var(--qa-accent);
  color: var(--qa-accent-ink); white-space: pre-wrap; overflow-wrap: anywhere; }
.a { margin: 0 0 22px; }
.lead { margin: 0 0 10px; font-size: 13.5px; color: var(--qa-muted); }

.results { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.result { position: relative; padding: 12px 14px 12px 44px; border: 1px solid var(--qa-line); border-radius: 12px;
  background: var(--qa-bg); }
.rank { position: absolute; left: 12px; top: 13px; display: grid; place-items: center; width: 22px; height: 22px;
  border-radius: 50%; background: var(--qa-soft); color: var(--qa-muted); font-size: 12px; font-weight: 700; }
.result:first-child .rank { background: var(--qa-accent); color: var(--qa-accent-ink); }
blockquote { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: var(--qa-mark); color: inherit; border-radius: 3px; padding: 1px 2px; margin: 0 -2px;
  -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.answer { margin: 0 0 6px; font-weight: 700; font-size: 16px; color: var(--qa-ink); }
.answer .value { margin-left: 6px; font-weight: 400; font-size: 12.5px; color: var(--qa-muted); }
.timeline { list-style: none; margin: 0 0 12px; padding: 10px 12px; border-radius: 10px; background: var(--qa-soft);
  display: grid; gap: 4px; font-size: 14px; }
.timeline time, .timeline .undated { display: inline-block; min-width: 7.5em; color: var(--qa-muted); font-size: 12.5px; }
.timeline a { color: var(--qa-accent); font-weight: 700; text-decoration: none; }
.timeline a:hover { text-decoration: underline; }
.meta { margin-top: 8px; font-size: 12.5px; color: var(--qa-muted); display: flex; flex-wrap: wrap; column-gap: 10px; row-gap: 2px; }
.meta .title { flex-basis: 100%; font-weight: 600; color: var(--qa-ink); overflow-wrap: anywhere; }
.meta .src { overflow-wrap: anywhere; }
.meta a { color: var(--qa-accent); font-weight: 600; text-decoration: none; white-space: nowrap; }
.meta a:hover { text-decoration: underline; }
.also { margin-top: 4px; font-size: 12px; color: var(--qa-muted); overflow-wrap: anywhere; }
.also a { color: var(--qa-accent); font-weight: 600; text-decoration: none; white-space: nowrap; }
.more, .retry { margin-top: 10px; border: 1px solid var(--qa-line); background: var(--qa-bg); border-radius: 8px;
  padding: 6px 12px; cursor: pointer; font-size: 13.5px; }
.more:hover, .retry:hover { border-color: var(--qa-accent); }
.notice { margin: 0 0 10px; padding: 10px 12px; border-radius: 10px; background: var(--qa-soft); font-size: 14px; }
details summary { cursor: pointer; font-size: 13.5px; color: var(--qa-muted); margin-bottom: 10px; }
.error { padding: 10px 12px; border-radius: 10px; background: var(--qa-error-bg); color: var(--qa-error); font-size: 14px; }
.loading { display: flex; align-items: center; gap: 10px; color: var(--qa-muted); font-size: 14px; }
.dots { display: inline-flex; gap: 4px; }
.dots i { width: 7px; height: 7px; border-radius: 50%; background: var(--qa-accent); animation: qa-dot 1s infinite ease-in-out; }
.dots i:nth-child(2) { animation-delay: .15s; }
.dots i:nth-child(3) { animation-delay: .3s; }
@keyframes qa-dot { 0%, 80%, 100% { opacity: .25; transform: scale(.8); } 40% { opacity: 1; transform: none; } }

form { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px 12px; border-top: 1px solid var(--qa-line); }
textarea { flex: 1; resize: none; min-height: 42px; max-height: 120px; padding: 10px 12px; border: 1px solid var(--qa-line);
  border-radius: 12px; background: var(--qa-soft); line-height: 1.4; }
textarea:focus { outline: none; border-color: var(--qa-accent); background: var(--qa-bg); }
.send { display: grid; place-items: center; width: 42px; height: 42px; flex: none; border: 0; border-radius: 12px;
  background: var(--qa-accent); color: var(--qa-accent-ink); cursor: pointer; }
.send:disabled { opacity: .45; cursor: default; }
.send svg { width: 20px; height: 20px; }
.foot { margin: 0; padding: 0 12px 10px; font-size: 11.5px; color: var(--qa-muted); text-align: center; }

/* Phones: the panel takes the whole screen and the launcher steps aside while it is open. */
@media (max-width: 480px) {
  .panel { inset: 0; width: auto; height: auto; border: 0; border-radius: 0; }
  .launcher { right: 16px; bottom: 16px; }
  .launcher[aria-expanded="true"] { display: none; }
  textarea { font-size: 16px; } /* below 16px, iOS zooms the page on focus */
}
/* Key hints mean nothing without a keyboard. */
@media (pointer: coarse) {
  .foot { display: none; }
  form { padding-bottom: max(12px, env(safe-area-inset-bottom)); }
}
@media (prefers-reduced-motion: reduce) { * { animation: none !important; transition: none !important; } }
`;

  const ICONS = {
    chat: "M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z",
    down: "M6 9l6 6 6-6",
    close: "M6 6l12 12M18 6L6 18",
    send: "M5 12h14M13 6l6 6-6 6",
  };

  function el(tag, className, text, attributes = {}) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  }

  function icon(name, className = "") {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    const attributes = {
      class: className, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", "stroke-width": "2",
      "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true",
    };
    for (const [attribute, value] of Object.entries(attributes)) svg.setAttribute(attribute, value);
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  const linesLabel = (c) => (c.line_start === c.line_end ? `line ${c.line_start}` : `lines ${c.line_start}–${c.line_end}`);

  function formatDate(iso) {
    const date = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return iso;
    return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  }

  // The service counts offsets in code points, JavaScript strings in UTF-16 units: split into code points first.
  function passage(text, highlight) {
    const quote = el("blockquote");
    if (!highlight) {
      quote.textContent = text;
      return quote;
    }
    const chars = Array.from(text);
    const part = (start, end) => chars.slice(start, end).join("");
    quote.append(part(0, highlight.start), el("mark", null, part(highlight.start, highlight.end)), part(highlight.end));
    return quote;
  }

  // "p. 3" or "pp. 3–4" for a passage of a paged document (PDF); null for other formats.
  const pagesLabel = (c) => {
    if (c.page == null) return null;
    const last = c.page_end == null ? c.page : c.page_end;
    return last === c.page ? `p. ${c.page}` : `pp. ${c.page}–${last}`;
  };
  const documentUrl = (c) => `${endpoint}/documents/${c.source.split("/").map(encodeURIComponent).join("/")}`;

  // A link to the original document at the passage's first page; the browser's PDF viewer opens it there.
  function pageLink(c) {
    return el("a", "page", pagesLabel(c), {
      href: `${documentUrl(c)}#page=${c.page}`,
      target: "_blank",
      rel: "noopener noreferrer",
      "aria-label": `${pagesLabel(c)}: open ${c.source} at page ${c.page} (new tab)`,
    });
  }

  function alsoIn(places) {
    const box = el("div", "also", "Also in ");
    places.forEach((a, i) => {
      if (i) box.append("; ");
      box.append(`${a.source}, ${linesLabel(a)}`);
      if (a.page != null) box.append(" ", pageLink(a));
    });
    return box;
  }

  // The answer's words first, bold, with their resolved value when it says more ("July 20" -> 2012-07-20).
  function answerLine(a) {
    const line = el("p", "answer", a.text);
    if (a.value && a.value !== a.text) line.append(el("span", "value", a.value));
    return line;
  }

  // With the question, the view page shows the passage's answer over it.
  const viewUrl = (r, question) =>
    `${endpoint}/view/${encodeURIComponent(r.passage_id)}${question ? `?q=${encodeURIComponent(question)}` : ""}#passage`;

  // The distinct dates of a "when" question's answers, in date order, each linking to its passage.
  function timeline(entries, results, question) {
    const list = el("ol", "timeline", null, { "aria-label": "Timeline of the dates found" });
    for (const e of entries) {
      const item = el("li");
      item.append(e.date ? el("time", null, e.date, { datetime: e.date }) : el("span", "undated", "undated"), " ");
      const r = results.find((x) => x.rank === e.rank);
      item.append(r ? el("a", null, e.text, { href: viewUrl(r, question), target: "_blank", rel: "noopener noreferrer",
        "aria-label": `${e.text}: open passage ${e.rank} in context (new tab)` }) : el("strong", null, e.text));
      list.append(item);
    }
    return list;
  }

  function result(r, question) {
    const c = r.citation;
    const item = el("li", "result");
    item.append(el("span", "rank", String(r.rank), { "aria-hidden": "true" }));
    if (r.answer) item.append(answerLine(r.answer));
    item.append(passage(r.text, r.highlight));
    const meta = el("div", "meta");
    if (c.title) meta.append(el("span", "title", c.title));
    if (c.author) meta.append(el("span", "author", `by ${c.author}`));
    if (c.date) meta.append(el("time", null, formatDate(c.date), { datetime: c.date }));
    meta.append(el("span", "src", `${c.source}, ${linesLabel(c)}`));
    if (c.page != null) meta.append(pageLink(c));
    const link = el("a", "context", "Open in context ↗", {
      href: viewUrl(r, question),
      target: "_blank",
      rel: "noopener noreferrer",
      // The name starts with the visible text, so voice control users can say what they see.
      "aria-label": `Open in context: ${c.source}, ${linesLabel(c)} (new tab)`,
    });
    meta.append(link);
    item.append(meta);
    if (r.also_in && r.also_in.length) item.append(alsoIn(r.also_in));
    return item;
  }

  function resultList(results, question) {
    const wrap = el("div");
    const list = el("ol", "results", null, { "aria-label": "Source passages, best first" });
    list.append(...results.slice(0, SHOWN).map((r) => result(r, question)));
    wrap.append(list);
    const rest = results.slice(SHOWN);
    if (rest.length) {
      const more = el("button", "more", `Show ${rest.length} more passage${rest.length > 1 ? "s" : ""}`, { type: "button" });
      more.addEventListener("click", () => {
        list.append(...rest.map((r) => result(r, question)));
        more.remove();
        list.children[SHOWN].querySelector("a.context").focus(); // keep keyboard users where the new passages start
      });
      wrap.append(more);
    }
    return wrap;
  }

  function errorText(status, body) {
    if (status === 0) return "Couldn’t reach the answering service. Check your connection and try again.";
    if (status === -1) return "The answering service took too long to reply. Please try again.";
    if (status === 503) return "The answering service is starting up. Try again in a moment.";
    if (status === 429) return "Too many questions at once. Wait a moment and try again.";
    if (status === 422 && body && body.message) return `That question can’t be asked: ${body.message}`;
    return `Something went wrong (HTTP ${status}). Please try again.`;
  }

  // {status, body}: status 0 when the service is unreachable (or CORS refused us), -1 on timeout.
  async function post(question) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(`${endpoint}/ask`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(sources.length ? { question, k, filters: { sources } } : { question, k }),
        credentials: "omit",
        signal: controller.signal,
      });
      const body = await response.json().catch(() => null);
      return { status: response.status, body };
    } catch (error) {
      return { status: error.name === "AbortError" ? -1 : 0, body: null };
    } finally {
      clearTimeout(timer);
    }
  }

  function build() {
    const launcher = el("button", "launcher", null, {
      type: "button", "aria-expanded": "false", "aria-controls": "qa-panel", "aria-label": title,
    });
    launcher.append(icon("chat", "when-closed"), icon("down", "when-open"), el("span", null, "Ask"));
    const heading = el("div");
    heading.append(el("h2", null, title, { id: "qa-title" }), el("p", "sub", "Quoted from the sources, with citations"));
    const close = el("button", "close", null, { type: "button", "aria-label": "Close" });
    close.append(icon("close"));
    const header = el("header");
    header.append(heading, close);
    const log = el("div", "log", null, { role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
    const input = el("textarea", null, null, {
      id: "qa-question", rows: "1", maxlength: "1000", placeholder: "Ask a question…", enterkeyhint: "send", autocomplete: "off",
    });
    const send = el("button", "send", null, { type: "submit", "aria-label": "Send question" });
    send.append(icon("send"));
    const form = el("form", null, null, { novalidate: "" });
    form.append(el("label", "sr", "Your question", { for: "qa-question" }), input, send);
    const panel = el("section", "panel", null, {
      id: "qa-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "qa-title",
    });
    panel.hidden = true;
    panel.append(header, log, form, el("p", "foot", "Enter to send · Shift+Enter for a new line · Esc to close"));
    return { launcher, panel, close, log, form, input, send };
  }

  function intro(ask) {
    const box = el("div", "intro");
    box.append(
      el("strong", null, "Ask a question in your own words."),
      "You’ll get the passages that answer it, with the answering sentence highlighted and a link to the source."
    );
    if (suggestions.length) {
      const chips = el("div", "chips");
      for (const s of suggestions) {
        const chip = el("button", "chip", s, { type: "button" });
        chip.addEventListener("click", () => ask(s));
        chips.append(chip);
      }
      box.append(chips);
    }
    return box;
  }

  function mount() {
    const host = document.createElement("qa-widget");
    const root = host.attachShadow({ mode: "open" });
    // A constructed sheet is not an inline style, so host pages whose CSP forbids those still style us.
    if ("adoptedStyleSheets" in root && "replaceSync" in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(el("style", null, CSS));
    }
    const ui = build();
    const { launcher, panel, log, form, input, send } = ui;
    root.append(launcher, panel);
    document.body.append(host);
    let busy = false;

    function open() {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      input.focus();
    }
    function close() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }
    // Scroll the log only: scrollIntoView would also scroll the host page behind the panel.
    const scrollTo = (node) => { log.scrollTop = node.offsetTop - 8; };
    function grow() {
      input.style.height = "auto";
      input.style.height = `${Math.min(input.scrollHeight + 2, 120)}px`;
    }

    function ask(question) {
      question = question.trim();
      if (!question || busy) return;
      const turn = el("div", "turn");
      const bubble = el("div", "q");
      bubble.append(el("p", null, question));
      const answer = el("div", "a");
      turn.append(bubble, answer);
      log.append(turn);
      scrollTo(turn);
      run(question, answer);
    }

    async function run(question, answer) {
      busy = true;
      send.disabled = true;
      log.setAttribute("aria-busy", "true");
      const loading = el("div", "loading", null, { role: "status" });
      const dots = el("span", "dots", null, { "aria-hidden": "true" });
      dots.append(el("i"), el("i"), el("i"));
      loading.append(dots, el("span", null, "Searching the documents…"));
      answer.replaceChildren(loading);

      const reply = await post(question);
      answer.replaceChildren();
      try {
        if (reply.status === 200 && reply.body) show(answer, reply.body);
        else fail(answer, question, errorText(reply.status, reply.body));
      } catch {
        // A reply of an unexpected shape (a proxy's error page, say) must not leave the panel stuck.
        answer.replaceChildren();
        fail(answer, question, "The answering service sent a reply this page can’t read. Please try again.");
      }
      scrollTo(answer.parentNode); // the turn is taller now: bring its question back to the top
      busy = false;
      send.disabled = false;
      log.removeAttribute("aria-busy");
    }

    function show(answer, body) {
      const results = body.results || [];
      if (body.no_answer || !results.length) {
        const text = "I couldn’t find a confident answer to that in these documents. Try rephrasing, or ask about something they cover.";
        answer.append(el("p", "notice", text, { role: "status" }));
        if (results.length) {
          const details = el("details");
          details.append(el("summary", null, "Show the closest passages anyway"), resultList(results, body.question));
          answer.append(details);
        }
        return;
      }
      const n = results.length;
      if (body.timeline && body.timeline.length) answer.append(timeline(body.timeline, results, body.question));
      answer.append(el("p", "lead", n === 1 ? "1 passage answers this:" : `${n} passages, best first:`), resultList(results, body.question));
    }

    function fail(answer, question, message) {
      const retry = el("button", "retry", "Try again", { type: "button" });
      retry.addEventListener("click", () => {
        if (busy) return;
        run(question, answer);
        input.focus();
      });
      answer.append(el("div", "error", message, { role: "alert" }), retry);
    }

    log.append(intro(ask));
    launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
    ui.close.addEventListener("click", close);
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("keydown", (event) => {
      // Enter sends; Shift+Enter adds a line; Enter that confirms an IME composition does neither.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    input.addEventListener("input", grow);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (busy || !input.value.trim()) return;
      ask(input.value);
      input.value = "";
      grow();
      input.focus();
    });
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
