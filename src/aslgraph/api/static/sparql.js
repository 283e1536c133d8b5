// The aslgraph SPARQL query page: runs the query with a POST to the endpoint and renders the
// answer. No libraries and nothing loaded from elsewhere. Used when the YASGUI editor
// (sparql-editor.js) did not start.
"use strict";

(function () {
  if (document.body.dataset.editor === "yasgui") return;  // sparql-editor.js took over
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const format = document.getElementById("format");
  const run = document.getElementById("run");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const examples = JSON.parse(document.getElementById("example-data").textContent);
  const terms = JSON.parse(document.getElementById("term-data").textContent);
  const prefixes = Object.entries(terms.prefixes).sort((a, b) => b[1].length - a[1].length);
  const idBase = terms.idBase;  // IRIs below it dereference at id/... on this service

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function curie(iri) {
    for (const [name, ns] of prefixes) {
      if (iri.startsWith(ns) && iri.length > ns.length) return name + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  function iriLink(iri) {
    const link = el("a", curie(iri));
    link.title = iri;
    if (iri.startsWith(idBase)) {
      link.href = "id/" + iri.slice(idBase.length);  // dereferenced by this service
    } else if (/^https?:\/\//.test(iri)) {
      link.href = iri;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
    }
    return link;
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.append(iriLink(term.value));
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else if (term.type === "triple") {
      const v = term.value;
      td.append("<< ", cell(v.subject).firstChild || "", " ", cell(v.predicate).firstChild || "",
                " ", cell(v.object).firstChild || "", " >>");
    } else {
      td.append(term.value);
      if (term["xml:lang"]) td.append(" ", el("span", "@" + term["xml:lang"], "lit-meta"));
      else if (term.datatype && !term.datatype.endsWith("#string")) {
        td.append(" ", el("span", "^^" + curie(term.datatype), "lit-meta"));
      }
    }
    return td;
  }

  function renderJson(data) {
    if (typeof data.boolean === "boolean") {
      results.replaceChildren(el("p", data.boolean ? "true" : "false"));
      return "ASK: " + data.boolean;
    }
    const vars = data.head.vars || [];
    const rows = data.results.bindings;
    const table = el("table");
    const head = el("tr");
    head.append(el("th", "#"));
    for (const v of vars) head.append(el("th", "?" + v));
    table.append(el("thead"));
    table.tHead.append(head);
    const body = el("tbody");
    rows.forEach((row, i) => {
      const tr = el("tr");
      tr.append(el("td", String(i + 1), "n"));
      for (const v of vars) tr.append(cell(row[v]));
      body.append(tr);
    });
    table.append(body);
    results.replaceChildren(table);
    return rows.length + (rows.length === 1 ? " row" : " rows");
  }

  function problemText(data, response) {
    return (data && data.detail) ? data.detail : response.status + " " + response.statusText;
  }

  async function execute(query, accept) {
    const started = performance.now();
    run.disabled = true;
    status.className = "";
    status.textContent = "Running…";
    try {
      const response = await fetch("sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": accept },
        body: new URLSearchParams({ query: query }),
      });
      const type = response.headers.get("Content-Type") || "";
      const ms = Math.round(performance.now() - started);
      if (!response.ok) {
        const data = type.includes("json") ? await response.json() : null;
        status.className = "error";
        status.textContent = problemText(data, response);
        results.replaceChildren();
        return;
      }
      let summary;
      if (format.value === "table" && type.startsWith("application/sparql-results+json")) {
        summary = renderJson(await response.json());
      } else {
        const text = await response.text();
        results.replaceChildren(el("pre", text));
        summary = type.split(";")[0] + ", " + text.length + " characters";
      }
      status.textContent = summary + " in " + ms + " ms";
    } catch (error) {
      status.className = "error";
      status.textContent = "The request failed: " + error.message;
    } finally {
      run.disabled = false;
    }
  }

  function accept() {
    if (format.value !== "table") return format.value;
    return "application/sparql-results+json, text/turtle;q=0.9";
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    history.replaceState(null, "", "#query=" + encodeURIComponent(editor.value));
    execute(editor.value, accept());
  });

  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.getElementById("examples").addEventListener("click", (event) => {
    const link = event.target.closest("a[data-example]");
    if (!link) return;
    event.preventDefault();
    editor.value = examples[Number(link.dataset.example)].text;
    form.requestSubmit();
  });

  document.getElementById("description-link").addEventListener("click", async (event) => {
    event.preventDefault();
    const response = await fetch("sparql", { headers: { "Accept": "text/turtle" } });
    results.replaceChildren(el("pre", await response.text()));
    status.className = "";
    status.textContent = "The service description (Turtle)";
  });

  const fromLink = new URLSearchParams(location.hash.slice(1)).get("query");
  if (fromLink) editor.value = fromLink;
})();
