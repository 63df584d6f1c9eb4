// The GraphQL IDE's behaviour: it posts the operation to /graphql with the
// session cookie and shows the answer. Served as a file of its own so that
// the page's Content-Security-Policy needs no inline script.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("operation");
  const query = document.getElementById("query");
  const variables = document.getElementById("variables");
  const operationName = document.getElementById("operationName");
  const run = document.getElementById("run");
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const endpoint = window.location.pathname;

  const show = (text, failed) => {
    result.textContent = text;
    result.classList.toggle("failed", failed);
  };

  const execute = async () => {
    let vars = {};
    const raw = variables.value.trim();
    if (raw !== "") {
      try {
        vars = JSON.parse(raw);
      } catch (e) {
        status.textContent = "Variables are not valid JSON.";
        show(String(e), true);
        variables.focus();
        return;
      }
    }
    const body = { query: query.value, variables: vars };
    if (operationName.value.trim() !== "") {
      body.operationName = operationName.value.trim();
    }
    run.disabled = true;
    status.textContent = "Running…";
    const started = performance.now();
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      let pretty = text;
      try {
        pretty = JSON.stringify(JSON.parse(text), null, 2);
      } catch (e) {
        // not JSON: show it as it came
      }
      const ms = Math.round(performance.now() - started);
      const failed = !response.ok || /"errors"\s*:/.test(text);
      status.textContent = `${response.status} ${response.statusText} in ${ms} ms${failed ? ", with errors" : ""}.`;
      show(pretty, failed);
    } catch (e) {
      status.textContent = "The request failed.";
      show(String(e), true);
    } finally {
      run.disabled = false;
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    execute();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      execute();
    }
  });
});
