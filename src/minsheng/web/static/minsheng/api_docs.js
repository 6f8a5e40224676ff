// A small, dependency-free "try it" page for the OpenAPI schema (no CDN, no Swagger bundle).
(async function () {
  const root = document.getElementById("endpoints");
  const tpl = document.getElementById("endpoint-tpl");
  const spec = await (await fetch("/api/v1/openapi.json")).json();
  root.textContent = "";
  const resolve = (ref) => ref.split("/").slice(1).reduce((o, k) => o[k], spec);
  let hints = 0;
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const node = tpl.content.cloneNode(true);
      const card = node.querySelector(".endpoint");
      card.querySelector(".method").textContent = method.toUpperCase();
      // A break allowed after each slash: on a phone the path wraps between its parts, not inside "suggestions".
      card.querySelector(".path").replaceChildren(...path.split("/").flatMap((part, i) => i ? [document.createElement("wbr"), "/" + part] : [part]));
      const statuses = Object.entries(op.responses).map(([c, r]) => `${c} ${r.description}`).join(" · ");
      card.querySelector(".summary").textContent = interpolate(gettext("%(summary)s。响应：%(statuses)s"), {summary: op.summary, statuses}, true);
      const params = card.querySelector(".params");
      for (const p of op.parameters || []) {
        const label = document.createElement("label");
        label.textContent = interpolate(p.in === "path" ? gettext("%(name)s（路径参数）") : gettext("%(name)s（查询参数）"), {name: p.name}, true);
        const input = document.createElement("input");
        input.dataset.name = p.name;
        input.dataset.in = p.in;
        label.appendChild(input);
        params.appendChild(label);
        if (p.description) {  // under the box, not as its placeholder: a phone's box cut the hint off
          const hint = document.createElement("p");
          hint.className = "meta";
          hint.id = `param-hint-${++hints}`;
          hint.textContent = p.description;
          input.setAttribute("aria-describedby", hint.id);
          params.appendChild(hint);
        }
      }
      const body = card.querySelector(".body");
      if (op.requestBody) {
        const example = resolve("#/components/schemas/SuggestionIn").example;
        body.value = JSON.stringify(example, null, 2);
      } else {
        card.querySelector(".body-label").remove();
      }
      card.querySelector(".try").addEventListener("click", async () => {
        let url = path;
        const query = new URLSearchParams();
        for (const input of params.querySelectorAll("input")) {
          if (input.dataset.in === "path") url = url.replace(`{${input.dataset.name}}`, encodeURIComponent(input.value));
          else query.set(input.dataset.name, input.value);
        }
        if ([...query].length) url += "?" + query;
        const headers = { "Authorization": "Bearer " + document.getElementById("api-key").value.trim() };
        const init = { method: method.toUpperCase(), headers };
        if (op.requestBody) { headers["Content-Type"] = "application/json"; init.body = body.value; }
        const out = card.querySelector(".response");
        out.hidden = false;
        try {
          const res = await fetch(url, init);
          // the schema's own words for the status (Chinese), not the browser's English reason phrase
          const said = (op.responses[String(res.status)] || {}).description || "";
          out.textContent = `${res.status} ${said}\n` + JSON.stringify(await res.json(), null, 2);
        } catch (err) {
          out.textContent = String(err);
        }
      });
      root.appendChild(node);
    }
  }
})();
