// Small accessibility and search fixes on top of Material's own JavaScript. Loaded before Material's
// bundle (overrides/main.html), so the page is not there yet: anything that needs it waits.
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;

  // Code annotation markers are links whose number is drawn by CSS, so a screen reader finds a
  // link without a name (axe-core: link-name). Give each one.
  function labelAnnotations(root) {
    root.querySelectorAll(".md-annotation__index:not([aria-label])").forEach(function (index) {
      var id = index.querySelector("[data-md-annotation-id]");
      var number = id ? id.getAttribute("data-md-annotation-id") : "";
      index.setAttribute("aria-label", (zh ? "注释 " : "Annotation ") + number);
    });
  }

  // On the English site, a search in Chinese finds nothing (each language has its own index): say
  // so, with a link that opens the same search on this page's Chinese twin (Material opens the
  // search from `?q=`).
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;  // a Chinese character (also for the query below)
  function pointToChineseSearch() {
    var result = document.querySelector(".md-search-result");
    var meta = result && result.querySelector(".md-search-result__meta");
    var list = result && result.querySelector(".md-search-result__list");
    var input = document.querySelector("input.md-search__input");
    var chinese = document.querySelector('.md-select__link[hreflang="zh"]');
    if (!meta || !list || !input || !chinese) return;
    var hint = document.createElement("p");
    hint.className = "site-search-other";
    var link = document.createElement("a");
    link.lang = "zh";
    hint.appendChild(link);
    function update() {
      var query = input.value.trim();
      var show = HAN.test(query) && !list.children.length;
      if (show) {
        link.href = chinese.href.split("#")[0].split("?")[0] + "?q=" + encodeURIComponent(query);
        link.textContent = "在中文版中搜索“" + query + "”";
        if (!hint.parentNode) meta.parentNode.insertBefore(hint, meta.nextSibling);
      } else if (hint.parentNode) {
        hint.parentNode.removeChild(hint);
      }
    }
    new MutationObserver(update).observe(meta, { childList: true, characterData: true, subtree: true });
    new MutationObserver(update).observe(list, { childList: true });
  }

  function init() {
    labelAnnotations(document);
    if (!zh) pointToChineseSearch();
    // Material adds the markers after load, as each code block comes into view (content.lazy), each
    // an <aside class="md-annotation">: label it at once, before anything else runs (a label a
    // frame later left a moment in which axe-core, and a screen reader, found a marker without a
    // name). Anything else that brings markers is looked for once per frame at most: formula
    // rendering alone makes thousands of mutations, too many to search each one's subtree.
    var scheduled = false;
    new MutationObserver(function (records) {
      var other = false;
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) return;
          if (node.classList.contains("md-annotation")) labelAnnotations(node);
          else other = true;
        });
      });
      if (!other || scheduled) return;
      scheduled = true;
      requestAnimationFrame(function () {
        scheduled = false;
        labelAnnotations(document);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();

  // Material's content.lazy feature (mkdocs.yml) sets up a code block only when it comes into view,
  // and that includes making a block that scrolls sideways focusable, so that a keyboard can scroll
  // it. Make every such block focusable from the start, like Material only where a pointer can
  // hover. Once the page has loaded and been drawn (its layout is then up to date, and only the
  // code blocks that content-visibility skips need laying out), in slices of ~10 ms.
  function focusScrollingCode() {
    if (!matchMedia("(hover)").matches) return;
    var pending = Array.prototype.slice.call(document.querySelectorAll(".md-typeset pre > code:not([tabindex])"));
    (function slice() {
      var start = performance.now();
      var scrolling = [];
      while (pending.length && performance.now() - start < 10) {
        var code = pending.shift();
        if (code.scrollWidth > code.clientWidth) scrolling.push(code);
      }
      scrolling.forEach(function (code) { code.setAttribute("tabindex", "0"); });
      if (pending.length) setTimeout(slice, 0);
    })();
  }
  function afterNextPaint() {
    requestAnimationFrame(function () { setTimeout(focusScrollingCode, 0); });
  }
  if (document.readyState === "complete") afterNextPaint();
  else window.addEventListener("load", afterNextPaint);

  // A code block scrolled sideways gets room at the end of its lines, so that scrolled to the end
  // no line ends under the copy button (site.css, .site-scrolled). Added at the first sideways
  // scroll rather than to every block: a block that fits keeps fitting, and nothing is measured at
  // load. Scroll events do not bubble, so listen while they pass down (capture).
  document.addEventListener("scroll", function (event) {
    var code = event.target;
    if (code.nodeType === 1 && code.tagName === "CODE" && code.parentElement.tagName === "PRE")
      code.classList.add("site-scrolled");
  }, { capture: true, passive: true });

  // Code blocks and tab sets that have not come near the viewport yet count as 12em tall
  // (content-visibility in site.css), so a jump to a heading further down (the table of contents,
  // a footnote, a link within the page, an address ending in #anchor) would land on that estimate,
  // up to thousands of pixels off. Before the browser makes such a jump, everything gets laid out
  // for real: the cost of one layout, paid when the reader asks for the jump. A page opened at an
  // anchor is laid out now, before it finishes loading (the browser jumps again at load).
  function layOutEverything() {
    document.documentElement.classList.add("site-laid-out");
  }
  if (location.hash) layOutEverything();
  window.addEventListener("hashchange", layOutEverything);
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href*='#']") : null;
    if (link && link.hash && link.origin === location.origin && link.pathname === location.pathname)
      layOutEverything();
  }, true);

  // The search index is the largest download of the site (two files, see below: the Chinese ones
  // ~290 kB compressed, and they grow with every page), and most visits never search. Material
  // requests it as soon as its bundle runs (over http; a page opened as a file: loads
  // search_index.js once the search opens, with a script tag this leaves alone); the request is sent
  // when the reader turns to search instead: a pointer over the search box or its button, a touch
  // or focus there (a click, a tap, Tab, or the /, s and f shortcuts, which focus the box), or an
  // address that opens a search (?q=) or highlights the words of one (?h=). A query typed before the
  // index has arrived waits for it (Material sends it once its worker reports ready), as on any
  // first search.
  var INDEX = /\/search\/search_index\.json$/;
  var SEARCH_BOX = ".md-search, label[for='__search']";
  var indexWanted = /[?&][qh]=/.test(location.search);
  var indexRequests = [];  // the index request, held back
  var indexUrl = null;  // where it is, for its texts beside it (below)
  var openRequest = XMLHttpRequest.prototype.open;
  var sendRequest = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    try {  // as the request resolves it
      var resolved = new URL(String(url), document.baseURI);
      this.siteSearchIndex = INDEX.test(resolved.pathname);
      if (this.siteSearchIndex) indexUrl = resolved.href;
    } catch (error) {  // not a URL: the browser's own open() says so
      this.siteSearchIndex = false;
    }
    return openRequest.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (!this.siteSearchIndex || indexWanted) return sendRequest.apply(this, arguments);
    indexRequests.push([this, arguments]);
  };
  var TURNS = ["pointerover", "touchstart", "focusin"];
  function wantIndex(event) {
    if (!event.target.closest || !event.target.closest(SEARCH_BOX)) return;
    indexWanted = true;
    TURNS.forEach(function (type) { document.removeEventListener(type, wantIndex, true); });
    indexRequests.splice(0).forEach(function (request) { sendRequest.apply(request[0], request[1]); });
  }
  if (!indexWanted) TURNS.forEach(function (type) {
    document.addEventListener(type, wantIndex, { capture: true, passive: true });
  });

  // Search: readers type "CUDA版本" or "GPU不可用" without a space, but the index holds "cuda" and
  // "版本" as two words, and Material splits a query only where the separator in mkdocs.yml says
  // (a split between Latin and Chinese needs a lookbehind, which older Safari cannot parse, and
  // the whole search would fail there). So the query Material sends its search worker (message
  // type 2, its SearchMessageType.QUERY in 9.8; the search tests in tests/test_browser.py fail if
  // that changes) gets a space between Latin letters or digits and Chinese characters, and after
  // "CUDA" before a version ("CUDA12.6": the pages write "CUDA 12.6"; `cu126` stays as it is).
  // Double quotes go: Material reads a quoted part as words that every result must contain, so a
  // pasted traceback (File "train.py", line 3) found nothing.
  // So does the "(s)" or "(es)" of a plural in a message (any such pair of brackets right after a
  // letter, in code too: len(s) is searched as len): "Missing key(s) in state_dict" was searched as
  // key and s, and s, a prefix, matched every word beginning with s: it drew other sections (the
  // debugging page's came second) and each opened page highlighted those words (?h=s).
  //
  // Finished English stop words go too (a word followed by another: the last one may be the start
  // of a longer word). The index leaves them out, but Material searches each word as a prefix, and
  // lunr does not filter a prefix: "a" found every word beginning with a, "to" found torch and
  // TorchScript, so "what is a tensor" listed a myth whose heading says "alone" first. The list is
  // lunr's own (lunr.stopWordFilter), where included. The English index keeps where for torch.where
  // (scripts/mkdocs_hooks.py: STOP_WORD_FIXES), which this filter sees whole and keeps; a lone where
  // followed by other words is a question word ("where is the model saved") and goes.
  //
  // It also loses the word torch. Every page is about torch and many headings name it (torch.nn,
  // torch.no_grad()), and Material searches each word as a prefix, so `torch` also matched the rare
  // word TorchScript in a heading, which outweighed the rest of the query: `torch.tensor`,
  // `torch.randn` and `pip install torch` listed the TorchScript myth first. So torch, and the
  // `torch.` of an API name, are left out of a query that has other words to search for; otherwise
  // torch is searched as that word only (`torch^1`: boost 1 is the default weight, and Material
  // adds no wildcard to a boosted word). `torch -cuda` keeps it: a query of excluded words alone
  // would list every other page, unordered.
  //
  // Chinese question words go as well (怎么, 如何, 为什么, 什么…): they are words of the index, and a
  // heading with one outweighed the rest of a question: 怎么用显卡训练, 怎么查版本 and 学习率怎么设
  // all listed autograd's 怎么选 first. They stay when nothing else would be left to search for, and
  // when the query is part of a heading (为什么要用 GPU is one). So does a lone Chinese character
  // when other words remain (用 GPU 训练: Material searches it as a prefix, and 用 found 用不上).
  var SEARCH_QUERY = 2;
  var LATIN_THEN_HAN = new RegExp("([A-Za-z0-9])(?=" + HAN.source + ")", "g");
  var HAN_THEN_LATIN = new RegExp("(" + HAN.source + ")(?=[A-Za-z0-9])", "g");
  var CUDA_THEN_VERSION = /\b(cuda)(?=\d)/gi;
  var PLURAL_S = /([A-Za-z])\((?:e?s)\)/gi;  // key(s), match(es), KEY(S)
  var STOP_WORDS = new Set(("a able about across after all almost also am among an and any are as at be because " +
    "been but by can cannot could dear did do does either else ever every for from get got had has have he her " +
    "hers him his how however i if in into is it its just least let like likely may me might most must my " +
    "neither no nor not of off often on only or other our own rather said say says she should since so some " +
    "than that the their them then there these they this tis to too twas us wants was we were what when where " +
    "which while who whom why will with would yet you your").split(" "));
  var TORCH = /^torch(\.|$)/i;  // the word, or the torch. of an API name
  var A_WORD = /^[^+*-]/;  // a word to search for: not an operator, not an excluded -word
  var QUESTION_WORDS = /为什么|为啥|怎么样|怎么办|怎么|怎样|如何|是什么|什么/g;
  var SOMETHING_TO_SEARCH = new RegExp(HAN.source + "{2}|[A-Za-z0-9]");
  var ONE_HAN = new RegExp("^" + HAN.source + "$");
  function searchable(word) { return A_WORD.test(word) && SOMETHING_TO_SEARCH.test(word); }
  function inATitle(query) { return titles.indexOf(query.replace(/\s+/g, "")) >= 0; }
  function searchWords(query) {  // the query without finished stop words, torch or question words
    var asked = query.replace(QUESTION_WORDS, " ");
    if (asked !== query && asked.trim().split(/\s+/).some(searchable) && !inATitle(query)) query = asked;
    var words = query.trim().split(/\s+/);
    var torch = false;
    var kept = words.filter(function (word, i) {
      return i === words.length - 1 || !STOP_WORDS.has(word.toLowerCase());
    }).map(function (word) {
      if (!TORCH.test(word)) return word;
      torch = true;
      return word.replace(TORCH, "");
    }).filter(Boolean);
    if (kept.some(function (word) { return A_WORD.test(word) && !ONE_HAN.test(word); }))
      kept = kept.filter(function (word) { return !ONE_HAN.test(word); });
    if (torch && !kept.some(function (word) { return A_WORD.test(word); })) kept.unshift("torch^1");
    return kept.join(" ");
  }

  // The index comes in two files (scripts/docs_model.py: write_search_index). search_index.json,
  // the one Material fetches, has every section's title, tags and code names but not its text: a
  // tenth of the bytes. The texts, search_text.json, are fetched once Material has sent the first
  // file to its worker, which answers from titles and tags meanwhile (a title weighs a thousand
  // times as much as text, so most first results stay first). When they arrive, the worker is set
  // up again with the whole index, and the query on screen, if any, is searched again. <html> gets
  // data-site-search="titles", then "whole", as the worker reports each index ready; tests wait
  // for "whole". Meanwhile a line under the result count says that only titles are searched yet,
  // or a search for a word of the texts would seem to find nothing. The texts file names the build
  // it belongs to (config.site_texts in the first file): a cached first file from an earlier deploy
  // is not given another build's texts. If the texts cannot be had, the search stays with titles
  // and tags.
  var SEARCH_SETUP = 0;
  var SEARCH_READY = 1;
  var typed = "";  // the last query as the reader typed it
  var sections = new Map();  // location -> the indexed section (title and text, once set up whole)
  var titles = "";  // every section's title without spaces, a line each, from the setup
  var shown = new Map();  // location -> its title and <code> parts (shownText, below)
  var setups = [];  // "titles" or "whole", one per setup sent, for the worker's ready messages in turn
  var post = Worker.prototype.postMessage;
  var listen = Worker.prototype.addEventListener;
  var unlisten = Worker.prototype.removeEventListener;
  function remember(docs) {
    docs.forEach(function (doc) { sections.set(doc.location, doc); });
    titles = docs.map(function (doc) {
      return (doc.title || "").replace(/<[^>]*>|[\s\u200b]/g, "");
    }).join("\n");
    shown.clear();
  }
  var textsLost = false;  // the texts could not be had: no promise that they are coming
  function searching(state) {
    if (state) document.documentElement.setAttribute("data-site-search", state);
    var loading = document.documentElement.getAttribute("data-site-search") === "titles" && !textsLost;
    var meta = document.querySelector(".md-search-result__meta");
    var note = document.querySelector(".site-search-loading");
    if (loading && meta && !note) {
      note = document.createElement("p");
      note.className = "site-search-other site-search-loading";
      note.setAttribute("role", "status");
      note.textContent = zh ? "正文还在加载，目前只搜索了标题和关键词……"
        : "Page text still loading: so far only titles and keywords are searched…";
      meta.parentNode.insertBefore(note, meta.nextSibling);
    } else if (!loading && note) {
      note.parentNode.removeChild(note);
    }
  }
  function withTexts(worker, setup) {
    var docs = setup.data.docs;
    fetch(new URL("search_text.json", indexUrl)).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    }).then(function (file) {
      var texts = file && file.texts;
      if (!Array.isArray(texts)) throw new Error("search_text.json has no list of texts");
      if (file.build !== setup.data.config.site_texts || texts.length !== docs.length)
        throw new Error("search_text.json is of another build than search_index.json (a cached copy)");
      var whole = docs.map(function (doc, i) { return Object.assign({}, doc, { text: texts[i] }); });
      remember(whole);
      setups.push("whole");
      post.call(worker, Object.assign({}, setup, { data: Object.assign({}, setup.data, { docs: whole }) }));
      if (typed) worker.postMessage({ type: SEARCH_QUERY, data: typed });  // through the wrapper below
    }).catch(function (error) {
      console.warn("site.js: search texts not loaded, searching titles and tags only:", error);
      textsLost = true;
      searching();
    });
  }
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === SEARCH_SETUP && message.data && message.data.docs) {
      var docs = message.data.docs;
      remember(docs);
      // (a setup that brings its texts, as a test's own worker may, is whole)
      var titlesOnly = Boolean(indexUrl && message.data.config && message.data.config.site_texts) &&
        docs.every(function (doc) { return doc.text === ""; });
      setups.push(titlesOnly ? "titles" : "whole");
      if (!this.siteSearchReady) {
        this.siteSearchReady = true;
        listen.call(this, "message", function (event) {
          if (event.data && event.data.type === SEARCH_READY && setups.length)
            searching(setups.shift());
        });
      }
      if (titlesOnly) {
        var result = post.apply(this, arguments);
        withTexts(this, message);
        return result;
      }
    }
    if (message && message.type === SEARCH_QUERY && typeof message.data === "string") {
      typed = message.data;
      var query = message.data.replace(/"/g, " ").replace(PLURAL_S, "$1 ")
        .replace(LATIN_THEN_HAN, "$1 ").replace(HAN_THEN_LATIN, "$1 ").replace(CUDA_THEN_VERSION, "$1 ");
      arguments[0] = Object.assign({}, message, { data: searchWords(query) });
    }
    return post.apply(this, arguments);
  };

  // Readers paste error messages into the search box, and this site shows real ones. But lunr
  // weighs each word of a query on its own, so sections that use a few of its words in a heading
  // could come before the section that shows the message: "view size is not compatible with input
  // tensor's size and stride" listed the cheat sheet first, not tensors#permute-and-transpose. So
  // in the results (message type 3), the section whose title, inline code, command or output (each
  // a <code> in the index; Python blocks are there only as their names) holds the longest run of
  // the query's words, four or more in a row, comes first, at the top of its page's group (of two
  // with runs as long, the one with more of the query's words in such runs). Not its prose: four
  // common words in a row ("how to install pytorch") are in many sentences. A run starts at the
  // start of a word, stays within one title or <code>, and its last word may go on (the reader
  // may still be typing it); punctuation around words does not count. A result
  // carries only the parts of its section with matches; the whole section comes from the last
  // setup (message type 0) the worker was sent, the whole index once its texts have come (until
  // then, titles only). Material listens to its worker from the moment its bundle runs, so this
  // file is loaded before the bundle (overrides/main.html).
  var SEARCH_RESULT = 3;
  var RUN = 4;  // fewer words in a row are not a phrase worth reordering for
  var AROUND_A_WORD = /^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu;
  function wordsOf(text) {  // lower case, without the punctuation around each word
    return text.replace(/\u200b/g, "").toLowerCase().split(/\s+/)
      .map(function (word) { return word.replace(AROUND_A_WORD, ""); })
      .filter(Boolean);
  }
  function shownText(location) {  // a section's title and each <code>: each " w1 w2 ... ", a line each
    if (!shown.has(location)) {
      var section = sections.get(location) || {};
      var template = document.createElement("template");
      template.innerHTML = "<h1>" + (section.title || "") + "</h1>" + (section.text || "");
      var parts = [template.content.querySelector("h1")].concat(
        Array.prototype.slice.call(template.content.querySelectorAll("code")));
      shown.set(location, parts.map(function (part) { return " " + wordsOf(part.textContent).join(" ") + " "; })
        .join("\n"));
    }
    return shown.get(location);
  }
  function runs(words, text) {  // the most words of the query in a row that text holds, and how
    // many of the query's words lie in such runs of RUN or more: of two sections that show the
    // same message, the one that shows more of it
    var longest = 0, inRuns = new Set();
    for (var start = 0; start < words.length; start++) {
      var length = 0;
      while (start + length < words.length && text.indexOf(" " + words.slice(start, start + length + 1).join(" ")) >= 0)
        length++;
      longest = Math.max(longest, length);
      for (var i = 0; length >= RUN && i < length; i++) inRuns.add(start + i);
    }
    return longest >= RUN ? { run: longest, covered: inRuns.size } : { run: 0, covered: 0 };
  }
  function phraseFirst(result, query) {
    var words = wordsOf(query).slice(-40);  // a pasted traceback ends with its message
    if (words.length < RUN) return result;
    var best = { run: 0, covered: 0 };
    var top = -Infinity;
    result.items.forEach(function (group, g) {
      group.forEach(function (item, i) {
        top = Math.max(top, item.score);
        var found = runs(words, shownText(item.location));
        if (found.run > best.run || (found.run && found.run === best.run && found.covered > best.covered))
          best = { run: found.run, covered: found.covered, group: g, item: i };
      });
    });
    if (!best.run) return result;
    var items = result.items.slice();
    var group = items.splice(best.group, 1)[0].slice();
    var item = group.splice(best.item, 1)[0];
    // the highest score of all: Material shows a group's best-scored section first, and Enter in
    // the search box opens the best-scored link of the list (scores compared to two decimals)
    group.unshift(Object.assign({}, item, { score: top + 1 }));
    items.unshift(group);
    return Object.assign({}, result, { items: items });
  }
  var wrapped = new WeakMap();
  function ranking(listener) {
    return function (event) {
      var message = event.data;
      if (message && message.type === SEARCH_RESULT && message.data && message.data.items) {
        try {
          var ranked = phraseFirst(message.data, typed);
          if (ranked !== message.data)
            event = new MessageEvent("message", { data: Object.assign({}, message, { data: ranked }) });
        } catch (error) {  // Material's order, rather than no results at all
          console.warn("site.js: search results left in Material's order:", error);
        }
      }
      return listener.call(this, event);
    };
  }
  Worker.prototype.addEventListener = function (type, listener, options) {
    if (type !== "message" || typeof listener !== "function") return listen.call(this, type, listener, options);
    if (!wrapped.has(listener)) wrapped.set(listener, ranking(listener));
    return listen.call(this, type, wrapped.get(listener), options);
  };
  Worker.prototype.removeEventListener = function (type, listener, options) {
    return unlisten.call(this, type, (type === "message" && wrapped.get(listener)) || listener, options);
  };
})();

