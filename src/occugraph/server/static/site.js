// occugraph's pages: search suggestions, sortable and paged tables, IRIs on copy, and
// saved-query forms that leave blank optional fields out. No dependencies.
(() => {
  "use strict";

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // Suggestions as one types, from /search.json (the same endpoint programs use).
  function suggest(input) {
    const list = element("ul", undefined, "suggestions");
    list.id = "suggestions-" + Math.random().toString(36).slice(2);
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.after(list);
    let timer = 0, asked = 0, selected = -1;

    function select(index) {
      const items = list.querySelectorAll("li");
      items.forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
      selected = index;
    }
    function show(results) {
      list.replaceChildren(...results.map((hit) => {
        const li = element("li");
        li.setAttribute("role", "option");
        const a = element("a");
        a.href = hit.url || "/search?" + new URLSearchParams({q: hit.label});
        a.append(element("span", hit.kind, "kind"), hit.label);
        const more = [hit.code, hit.leads_to ? "→ " + hit.leads_to : ""].filter(Boolean).join(" ");
        if (more) a.append(" ", element("span", more, "muted"));
        li.append(a);
        return li;
      }));
      list.hidden = results.length === 0;
      selected = -1;
    }
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (!q) { show([]); return; }
      timer = setTimeout(async () => {
        const mine = ++asked;
        try {
          const response = await fetch("/search.json?" + new URLSearchParams({q, limit: "8"}));
          const data = await response.json();
          if (mine === asked) show(data.results || []);
        } catch (error) { /* the form still submits to /search */ }
      }, 120);
    });
    input.addEventListener("keydown", (event) => {
      const items = list.querySelectorAll("li");
      if (list.hidden || !items.length) return;
      if (event.key === "ArrowDown") { event.preventDefault(); select((selected + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select((selected - 1 + items.length) % items.length); }
      else if (event.key === "Escape") { list.hidden = true; }
      else if (event.key === "Enter" && selected >= 0) {
        event.preventDefault();
        location.href = items[selected].querySelector("a").href;
      }
    });
    document.addEventListener("click", (event) => { if (!list.contains(event.target) && event.target !== input) list.hidden = true; });
  }

  // Tables marked data-table: click a heading to sort, long ones in pages, an optional filter.
  const PAGE = 50;
  function enhance(table) {
    const body = table.tBodies[0];
    if (!body) return;
    const rows = Array.from(body.rows);
    const headings = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
    let ordered = rows, shown = rows, page = 0, sortedBy = -1, ascending = true, words = [];
    const pager = element("p", undefined, "pager");
    const filterFor = table.dataset.filter ? document.getElementById(table.dataset.filter) : null;

    function key(row, column) {
      const cell = row.cells[column];
      const text = cell ? (cell.dataset.sort ?? cell.textContent).trim() : "";
      const number = Number(text.replace(/,/g, ""));
      return text !== "" && !Number.isNaN(number) ? number : text.toLowerCase();
    }
    function draw() {
      shown = ordered.filter((row) => words.every((w) => row.textContent.toLowerCase().includes(w)));
      const pages = Math.max(1, Math.ceil(shown.length / PAGE));
      page = Math.min(page, pages - 1);
      const first = page * PAGE;
      const visible = new Set(shown.slice(first, first + PAGE));
      body.replaceChildren(...ordered);
      for (const row of rows) row.hidden = !visible.has(row);
      pager.replaceChildren();
      if (shown.length > PAGE || filterFor) {
        const back = element("button", "‹ Previous"); back.type = "button"; back.disabled = page === 0;
        const next = element("button", "Next ›"); next.type = "button"; next.disabled = page >= pages - 1;
        back.addEventListener("click", () => { page -= 1; draw(); });
        next.addEventListener("click", () => { page += 1; draw(); });
        const where = shown.length
          ? `rows ${first + 1}–${Math.min(first + PAGE, shown.length)} of ${shown.length}`
          : "no rows match";
        pager.append(back, " ", element("span", where, "muted"), " ", next);
      }
    }
    headings.forEach((th, column) => {
      th.classList.add("sortable");
      th.tabIndex = 0;
      th.title = "Sort by this column";
      const sort = () => {
        ascending = sortedBy === column ? !ascending : true;
        sortedBy = column;
        headings.forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        ordered = ordered.slice().sort((a, b) => {
          const x = key(a, column), y = key(b, column);
          const order = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : typeof x === "number" ? -1 : 1;
          return ascending ? order : -order;
        });
        page = 0;
        draw();
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
    });
    if (filterFor) {
      filterFor.addEventListener("input", () => {
        words = filterFor.value.toLowerCase().split(/\s+/).filter(Boolean);
        page = 0;
        draw();
      });
    }
    table.after(pager);
    draw();
  }

  // Copying from a result table copies IRIs, not the labels shown for them.
  document.addEventListener("copy", (event) => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    const within = range.commonAncestorContainer;
    const start = within.nodeType === 1 ? within : within.parentElement;
    if (!start || !start.closest("table.results")) return;
    const holder = element("div");
    holder.style.cssText = "position:fixed;left:-10000px;top:0;white-space:pre";
    holder.append(range.cloneContents());
    for (const link of holder.querySelectorAll("a[data-iri]")) link.textContent = link.dataset.iri;
    document.body.append(holder);
    event.clipboardData.setData("text/plain", holder.innerText);
    holder.remove();
    event.preventDefault();
  });

  // A saved query's form leaves its empty fields out, so an optional parameter left blank
  // is not sent as an empty value.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form.params, form#params")) return;
    for (const input of form.querySelectorAll("input[name]")) if (!input.value.trim()) input.disabled = true;
  });
  window.addEventListener("pageshow", () => {
    for (const input of document.querySelectorAll("form input[name]:disabled")) input.disabled = false;
  });

  function start() {
    document.querySelectorAll("input[data-suggest]").forEach(suggest);
    document.querySelectorAll("table[data-table]").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
