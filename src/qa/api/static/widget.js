/* qa chat widget. One file, no dependencies: <script src="https://HOST/widget.js" data-endpoint="https://HOST" defer></script>
 * Optional attributes: data-title, data-k (passages per answer, 1-50), data-suggestions ("first?|second?").
 * Theming: set --qa-accent on the qa-widget element. Text from the service is only ever inserted as text. */
(function () {
  "use strict";
  if (window.__qaWidget) return; // the tag pasted twice gives one widget
  window.__qaWidget = true;

  // currentScript is null once the script has run; the src fallback covers wrappers and late calls.
  var script =
    document.currentScript ||
    Array.prototype.slice
      .call(document.querySelectorAll("script[src]"))
      .reverse()
      .find(function (s) { return /\/widget\.js(?:[?#].*)?$/.test(s.src); });
  var data = (script && script.dataset) || {};
  var scriptBase = script ? new URL(".", script.src).href : location.origin + "/";
  var endpoint = new URL(data.endpoint || scriptBase, document.baseURI).href.replace(/\/+$/, "");
  var k = Math.min(50, Math.max(1, parseInt(data.k, 10) || 5));
  var SHOWN = 3; // answers open with the best few; the rest are one click away
  var TIMEOUT_MS = 30000;
  var title = data.title || "Ask the documents";
  var suggestions = (data.suggestions || "").split("|").map(function (s) { return s.trim(); }).filter(Boolean);

  var CSS = [
    ":host{all:initial;--qa-accent:#4338ca;--qa-accent-ink:#fff;--qa-bg:#fff;--qa-soft:#f5f5f8;--qa-ink:#1c1d22;",
    "--qa-muted:#61646f;--qa-line:#e3e4ea;--qa-mark:#fdeeb0;--qa-error:#b42318;--qa-error-bg:#fef3f2;",
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--qa-ink)}",
    "@media (prefers-color-scheme:dark){:host{--qa-accent:#818cf8;--qa-accent-ink:#0d0e12;--qa-bg:#17181d;--qa-soft:#212229;",
    "--qa-ink:#ececf1;--qa-muted:#a3a6b3;--qa-line:#30323b;--qa-mark:#5c4a12;--qa-error:#fda29b;--qa-error-bg:#2d1614}}",
    "*{box-sizing:border-box}[hidden]{display:none!important}",
    // Set on our own boxes too: a host page's `qa-widget{color:… !important}` beats anything on :host.
    ".panel,.launcher{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;",
    "color:var(--qa-ink);text-align:left;letter-spacing:normal}",
    "button,textarea{font:inherit;color:inherit}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ":focus-visible{outline:2px solid var(--qa-accent);outline-offset:2px}",
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;gap:8px;",
    "height:52px;padding:0 20px 0 16px;border:0;border-radius:26px;background:var(--qa-accent);color:var(--qa-accent-ink);",
    "font-weight:600;cursor:pointer;box-shadow:0 6px 24px rgba(20,20,40,.28);transition:transform .15s}",
    ".launcher:hover{transform:translateY(-1px)}.launcher svg{width:22px;height:22px;flex:none}",
    ".launcher .when-open,.launcher[aria-expanded=true] .when-closed{display:none}",
    ".launcher[aria-expanded=true] .when-open{display:block}",
    ".launcher[aria-expanded=true]{width:52px;padding:0;justify-content:center}.launcher[aria-expanded=true] span{display:none}",
    ".panel{position:fixed;right:20px;bottom:84px;z-index:2147483000;display:flex;flex-direction:column;",
    "width:400px;height:min(640px,calc(100vh - 110px));background:var(--qa-bg);border:1px solid var(--qa-line);",
    "border-radius:16px;box-shadow:0 16px 48px rgba(20,20,40,.24);overflow:hidden;animation:qa-in .18s ease-out}",
    "@keyframes qa-in{from{opacity:0;transform:translateY(8px) scale(.98)}}",
    "header{display:flex;align-items:flex-start;gap:12px;padding:14px 12px 12px 18px;border-bottom:1px solid var(--qa-line)}",
    "h2{margin:0;font-size:16px;line-height:1.3;font-weight:650}.sub{margin:2px 0 0;font-size:12.5px;color:var(--qa-muted)}",
    "header>div{flex:1;min-width:0}",
    ".icon{display:grid;place-items:center;width:36px;height:36px;flex:none;border:0;border-radius:10px;",
    "background:transparent;cursor:pointer;color:var(--qa-muted)}.icon:hover{background:var(--qa-soft);color:var(--qa-ink)}",
    ".icon svg{width:20px;height:20px}",
    ".log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px 16px 8px;position:relative}",
    ".intro{margin:8px 4px 16px;color:var(--qa-muted);font-size:14px}.intro strong{display:block;color:var(--qa-ink);",
    "font-size:15px;margin-bottom:4px}",
    ".chips{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}",
    ".chip{border:1px solid var(--qa-line);background:var(--qa-bg);border-radius:999px;padding:6px 12px;cursor:pointer;",
    "font-size:13.5px;text-align:left}.chip:hover{border-color:var(--qa-accent);color:var(--qa-accent)}",
    ".q{display:flex;justify-content:flex-end;margin:4px 0 12px}",
    ".q p{margin:0;max-width:85%;padding:9px 14px;border-radius:16px 16px 4px 16px;background:var(--qa-accent);",
    "color:var(--qa-accent-ink);white-space:pre-wrap;overflow-wrap:anywhere}",
    ".a{margin:0 0 22px}.lead{margin:0 0 10px;font-size:13.5px;color:var(--qa-muted)}",
    ".results{list-style:none;margin:0;padding:0;display:grid;gap:10px}",
    ".result{position:relative;padding:12px 14px 12px 44px;border:1px solid var(--qa-line);border-radius:12px;background:var(--qa-bg)}",
    ".rank{position:absolute;left:12px;top:13px;display:grid;place-items:center;width:22px;height:22px;border-radius:50%;",
    "background:var(--qa-soft);color:var(--qa-muted);font-size:12px;font-weight:700}",
    ".result:first-child .rank{background:var(--qa-accent);color:var(--qa-accent-ink)}",
    "blockquote{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}",
    "mark{background:var(--qa-mark);color:inherit;border-radius:3px;padding:1px 2px;margin:0 -2px;",
    "-webkit-box-decoration-break:clone;box-decoration-break:clone}",
    ".meta{margin-top:8px;font-size:12.5px;color:var(--qa-muted);display:flex;flex-wrap:wrap;column-gap:10px;row-gap:2px}",
    ".meta .title{flex-basis:100%;font-weight:600;color:var(--qa-ink);overflow-wrap:anywhere}",
    ".meta .src{overflow-wrap:anywhere}",
    ".meta a{color:var(--qa-accent);font-weight:600;text-decoration:none;white-space:nowrap}.meta a:hover{text-decoration:underline}",
    ".also{margin-top:4px;font-size:12px;color:var(--qa-muted);overflow-wrap:anywhere}",
    ".more,.retry{margin-top:10px;border:1px solid var(--qa-line);background:var(--qa-bg);border-radius:8px;",
    "padding:6px 12px;cursor:pointer;font-size:13.5px}.more:hover,.retry:hover{border-color:var(--qa-accent)}",
    ".notice{margin:0 0 10px;padding:10px 12px;border-radius:10px;background:var(--qa-soft);font-size:14px}",
    "details summary{cursor:pointer;font-size:13.5px;color:var(--qa-muted);margin-bottom:10px}",
    ".error{padding:10px 12px;border-radius:10px;background:var(--qa-error-bg);color:var(--qa-error);font-size:14px}",
    ".loading{display:flex;align-items:center;gap:10px;color:var(--qa-muted);font-size:14px}",
    ".dots{display:inline-flex;gap:4px}.dots i{width:7px;height:7px;border-radius:50%;background:var(--qa-accent);",
    "animation:qa-dot 1s infinite ease-in-out}.dots i:nth-child(2){animation-delay:.15s}.dots i:nth-child(3){animation-delay:.3s}",
    "@keyframes qa-dot{0%,80%,100%{opacity:.25;transform:scale(.8)}40%{opacity:1;transform:none}}",
    "form{display:flex;align-items:flex-end;gap:8px;padding:10px 12px 12px;border-top:1px solid var(--qa-line)}",
    "textarea{flex:1;resize:none;min-height:42px;max-height:120px;padding:10px 12px;border:1px solid var(--qa-line);",
    "border-radius:12px;background:var(--qa-soft);line-height:1.4}",
    "textarea:focus{outline:none;border-color:var(--qa-accent);background:var(--qa-bg)}",
    ".send{display:grid;place-items:center;width:42px;height:42px;flex:none;border:0;border-radius:12px;",
    "background:var(--qa-accent);color:var(--qa-accent-ink);cursor:pointer}.send:disabled{opacity:.45;cursor:default}",
    ".send svg{width:20px;height:20px}",
    ".foot{margin:0;padding:0 12px 10px;font-size:11.5px;color:var(--qa-muted);text-align:center}",
    // Phones: the panel takes the whole screen and the launcher steps aside while it is open.
    "@media (max-width:480px){.panel{inset:0;width:auto;height:auto;max-height:none;border:0;border-radius:0}",
    ".launcher[aria-expanded=true]{display:none}.launcher{right:16px;bottom:16px}textarea{font-size:16px}}",
    // Key hints mean nothing without a keyboard.
    "@media (pointer:coarse){.foot{display:none}form{padding-bottom:max(12px,env(safe-area-inset-bottom))}}",
    "@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}",
  ].join("");

  var ICON_CHAT =
    '<svg class="when-closed" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';
  var ICON_DOWN =
    '<svg class="when-open" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M6 9l6 6 6-6"/></svg>';
  var ICON_CLOSE =
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>';
  var ICON_SEND =
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M5 12h14M13 6l6 6-6 6"/></svg>';

  // The chrome is a constant; nothing from the service or the reader ever goes through innerHTML.
  var CHROME =
    '<button class="launcher" type="button" aria-expanded="false" aria-controls="qa-panel">' + ICON_CHAT + ICON_DOWN +
    '<span class="launcher-label">Ask</span></button>' +
    '<section class="panel" id="qa-panel" role="dialog" aria-modal="false" aria-labelledby="qa-title" hidden>' +
    '<header><div><h2 id="qa-title"></h2><p class="sub">Quoted from the sources, with citations</p></div>' +
    '<button class="icon close" type="button" aria-label="Close">' + ICON_CLOSE + "</button></header>" +
    '<div class="log" role="log" aria-live="polite" aria-label="Conversation" tabindex="0"></div>' +
    '<form novalidate><label class="sr" for="qa-question">Your question</label>' +
    '<textarea id="qa-question" rows="1" maxlength="1000" placeholder="Ask a question…" enterkeyhint="send" autocomplete="off"></textarea>' +
    '<button class="send" type="submit" aria-label="Send question">' + ICON_SEND + "</button></form>" +
    '<p class="foot">Enter to send · Shift+Enter for a new line · Esc to close</p></section>';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function linesLabel(c) {
    return c.line_start === c.line_end ? "line " + c.line_start : "lines " + c.line_start + "–" + c.line_end;
  }

  function formatDate(iso) {
    var d = new Date(iso + "T00:00:00Z");
    if (isNaN(d)) return iso;
    return d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  }

  // The service counts offsets in code points; JavaScript strings count UTF-16 units, so split first.
  function passage(text, highlight) {
    var quote = el("blockquote");
    if (!highlight) {
      quote.textContent = text;
      return quote;
    }
    var chars = Array.from(text);
    quote.append(
      chars.slice(0, highlight.start).join(""),
      el("mark", null, chars.slice(highlight.start, highlight.end).join("")),
      chars.slice(highlight.end).join("")
    );
    return quote;
  }

  function result(r) {
    var c = r.citation;
    var item = el("li", "result");
    var rank = el("span", "rank", String(r.rank));
    rank.setAttribute("aria-hidden", "true");
    item.append(rank, passage(r.text, r.highlight));
    var meta = el("div", "meta");
    if (c.title) meta.append(el("span", "title", c.title));
    if (c.date) {
      var time = el("time", null, formatDate(c.date));
      time.dateTime = c.date;
      meta.append(time);
    }
    meta.append(el("span", "src", c.source + ", " + linesLabel(c)));
    var link = el("a", null, "Open in context ↗");
    link.href = endpoint + "/view/" + encodeURIComponent(r.passage_id) + "#passage";
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    // The accessible name starts with the visible text, so voice control users can say what they see.
    link.setAttribute("aria-label", "Open in context: " + c.source + ", " + linesLabel(c) + " (new tab)");
    meta.append(link);
    item.append(meta);
    if (r.also_in && r.also_in.length) {
      var places = r.also_in.map(function (a) { return a.source + ", " + linesLabel(a); });
      item.append(el("div", "also", "Also in " + places.join("; ")));
    }
    return item;
  }

  function resultList(results) {
    var wrap = el("div");
    var list = el("ol", "results");
    list.setAttribute("aria-label", "Source passages, best first");
    results.slice(0, SHOWN).forEach(function (r) { list.append(result(r)); });
    wrap.append(list);
    var rest = results.slice(SHOWN);
    if (rest.length) {
      var more = el("button", "more", "Show " + rest.length + " more passage" + (rest.length > 1 ? "s" : ""));
      more.type = "button";
      more.addEventListener("click", function () {
        rest.forEach(function (r) { list.append(result(r)); });
        more.remove();
        list.children[SHOWN].querySelector("a").focus();
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
    if (status === 422 && body && body.message) return "That question can’t be asked: " + body.message;
    return "Something went wrong (HTTP " + status + "). Please try again.";
  }

  function mount() {
    var host = document.createElement("qa-widget");
    var root = host.attachShadow({ mode: "open" });
    // A constructed sheet is not inline style, so host pages whose CSP forbids inline styles still style us.
    if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(el("style", null, CSS));
    }
    var holder = el("div");
    holder.innerHTML = CHROME;
    root.append.apply(root, Array.from(holder.childNodes));
    document.body.append(host);

    var launcher = root.querySelector(".launcher");
    var panel = root.querySelector(".panel");
    var log = root.querySelector(".log");
    var form = root.querySelector("form");
    var input = root.querySelector("textarea");
    var send = root.querySelector(".send");
    var busy = false;
    root.querySelector("h2").textContent = title;
    launcher.setAttribute("aria-label", title); // aria-expanded tells whether it is open

    var intro = el("div", "intro");
    intro.append(
      el("strong", null, "Ask a question in your own words."),
      "You’ll get the passages that answer it, with the answering sentence highlighted and a link to the source."
    );
    if (suggestions.length) {
      var chips = el("div", "chips");
      suggestions.forEach(function (s) {
        var chip = el("button", "chip", s);
        chip.type = "button";
        chip.addEventListener("click", function () { ask(s); });
        chips.append(chip);
      });
      intro.append(chips);
    }
    log.append(intro);

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
    function scrollTo(node) {
      // Scroll the log only: scrollIntoView would also scroll the host page behind the panel.
      log.scrollTop = node.offsetTop - 8;
    }
    function grow() {
      input.style.height = "auto";
      input.style.height = Math.min(input.scrollHeight + 2, 120) + "px";
    }

    function ask(question) {
      question = question.trim();
      if (!question || busy) return;
      var turn = el("div", "turn");
      var bubble = el("div", "q");
      bubble.append(el("p", null, question));
      var answer = el("div", "a");
      turn.append(bubble, answer);
      log.append(turn);
      run(question, answer);
      scrollTo(turn);
    }

    function run(question, answer) {
      busy = true;
      send.disabled = true;
      log.setAttribute("aria-busy", "true");
      answer.replaceChildren();
      var loading = el("div", "loading");
      loading.setAttribute("role", "status");
      var dots = el("span", "dots");
      dots.setAttribute("aria-hidden", "true");
      dots.append(el("i"), el("i"), el("i"));
      loading.append(dots, el("span", null, "Searching the documents…"));
      answer.append(loading);

      var controller = window.AbortController ? new AbortController() : null;
      var timer = setTimeout(function () { if (controller) controller.abort(); }, TIMEOUT_MS);
      fetch(endpoint + "/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question: question, k: k }),
        credentials: "omit",
        signal: controller && controller.signal,
      })
        .then(
          function (response) {
            return response.json().then(
              function (body) { return { status: response.status, body: body }; },
              function () { return { status: response.status, body: null }; }
            );
          },
          function (error) { return { status: error && error.name === "AbortError" ? -1 : 0, body: null }; }
        )
        .then(function (reply) {
          answer.replaceChildren();
          if (reply.status === 200 && reply.body) show(answer, reply.body);
          else fail(answer, question, errorText(reply.status, reply.body));
          scrollTo(answer.parentNode); // the turn is taller now: bring its question back to the top
        })
        .finally(function () {
          clearTimeout(timer);
          busy = false;
          send.disabled = false;
          log.removeAttribute("aria-busy");
        });
    }

    function show(answer, body) {
      var results = body.results || [];
      if (body.no_answer || !results.length) {
        var notice = el("p", "notice", "I couldn’t find a confident answer to that in these documents. Try rephrasing, or ask about something they cover.");
        notice.setAttribute("role", "status");
        answer.append(notice);
        if (results.length) {
          var details = el("details");
          details.append(el("summary", null, "Show the closest passages anyway"), resultList(results));
          answer.append(details);
        }
        return;
      }
      var n = results.length;
      answer.append(el("p", "lead", n === 1 ? "1 passage answers this:" : n + " passages, best first:"));
      answer.append(resultList(results));
    }

    function fail(answer, question, message) {
      var box = el("div", "error", message);
      box.setAttribute("role", "alert");
      var retry = el("button", "retry", "Try again");
      retry.type = "button";
      retry.addEventListener("click", function () {
        if (!busy) {
          run(question, answer);
          input.focus();
        }
      });
      answer.append(box, retry);
    }

    launcher.addEventListener("click", function () { (panel.hidden ? open : close)(); });
    root.querySelector(".close").addEventListener("click", close);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("keydown", function (event) {
      // Enter sends; Shift+Enter adds a line; Enter that confirms an IME composition does neither.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
    input.addEventListener("input", grow);
    form.addEventListener("submit", function (event) {
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
