// The aslgraph query editor: YASGUI (vendored from npm, see scripts/vendor_assets.py) over the
// page's plain form, pinned to this service's endpoint with every remote service turned off:
// no prefix.cc (prefixes complete from our own sparql/static/prefixes.json), no LOV class or
// property look-ups, no endpoint catalogue but ours, no URL shortener, no CORS proxy.
// Without JavaScript, or if YASGUI fails to load, the plain form (textarea, POST) stays.
"use strict";

(function () {
  const Yasgui = window.Yasgui;
  if (!Yasgui) return;  // the plain form (sparql.js) carries on
  const mount = document.getElementById("editor");
  const form = document.getElementById("query-form");
  const examples = JSON.parse(document.getElementById("example-data").textContent);
  const terms = JSON.parse(document.getElementById("term-data").textContent);
  const endpoint = new URL("sparql", document.baseURI).href;  // this service, always
  const idBase = terms.idBase;

  // Defaults first: YASGUI merges per-tab configuration into them (arrays element-wise).
  const yasqe = Yasgui.Yasqe.defaults;
  yasqe.autocompleters = ["prefixes", "variables"];  // not "class" / "property" (LOV)
  yasqe.prefixCcApi = new URL("sparql/static/prefixes.json", document.baseURI).href;
  yasqe.createShortLink = undefined;
  yasqe.editorHeight = "22rem";
  yasqe.createShareableLink = function (editor) {
    return endpoint + "#query=" + encodeURIComponent(editor.getValue());
  };
  yasqe.consumeShareLink = undefined;  // we read #query= ourselves, below
  const yasr = Yasgui.Yasr.defaults;
  yasr.prefixes = terms.prefixes;
  yasr.getPlainQueryLinkToEndpoint = undefined;

  const fromLink = new URLSearchParams(location.hash.slice(1)).get("query");
  const first = fromLink || (examples.length ? examples[0].text : "");

  form.hidden = true;
  mount.hidden = false;
  const yasgui = new Yasgui(mount, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    persistenceId: null,  // a fresh editor per visit; the URL (#query=) is the permalink
    autofocus: true,
    corsProxy: undefined,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: [],
      renderItem: function (data, source) {
        const span = document.createElement("span");
        span.textContent = data.value.endpoint;
        source.appendChild(span);
      },
    },
    yasqe: { value: first },
  });
  document.body.dataset.editor = "yasgui";

  function tab() { return yasgui.getTab(); }

  // pinned: whatever a tab says, it asks this endpoint
  yasgui.on("tabChange", function () { tab().setEndpoint(endpoint); });
  tab().setEndpoint(endpoint);
  tab().getYasqe().setValue(first);

  tab().getYasqe().on("query", function (editor) {
    history.replaceState(null, "", "#query=" + encodeURIComponent(editor.getValue()));
  });

  // IRIs of our own graph link to their /id/ page on this service
  tab().getYasr().on("drawn", function (yasrInstance) {
    for (const link of yasrInstance.resultsEl.querySelectorAll("a[href]")) {
      const href = link.getAttribute("href");
      if (href.startsWith(idBase)) {
        link.href = new URL("id/" + href.slice(idBase.length), document.baseURI).href;
        link.removeAttribute("target");
      }
    }
  });

  document.getElementById("examples").addEventListener("click", function (event) {
    const link = event.target.closest("a[data-example]");
    if (!link) return;
    event.preventDefault();
    const editor = tab().getYasqe();
    editor.setValue(examples[Number(link.dataset.example)].text);
    editor.query();
  });
})();
