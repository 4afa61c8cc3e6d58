// Embedding's browser plumbing (src/ui/embed.rs): whether the embed is on screen, and the
// postMessage API with the page that embeds it. Loaded by wasm-bindgen as a module.

/** Calls `visible(bool)` whenever at least a fifth of `element` enters or leaves view. */
export function observeVisibility(element, visible) {
  new IntersectionObserver((entries) => {
    for (const entry of entries) visible(entry.isIntersecting);
  }, { threshold: 0.2 }).observe(element);
}

/** The origin of the page this embed sits in, if the browser says. */
function hostOrigin() {
  if (location.ancestorOrigins && location.ancestorOrigins.length > 0) return location.ancestorOrigins[0];
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

/**
 * Listens to the embedding page. Only messages from the parent window, from `expected`
 * (the `host` parameter) or else the embedding page's own origin, and shaped
 * `{type: "kubesim:…", …}` reach `handle(type, command)`, whose answer goes back as
 * `{type: "kubesim:result", id, ok, output}`. Anything else from the parent gets
 * `{type: "kubesim:error", id, message}` and changes nothing.
 */
export function listenHost(expected, handle) {
  addEventListener("message", (event) => {
    if (window.parent === window || event.source !== window.parent) return;
    const data = event.data;
    if (!data || typeof data !== "object" || typeof data.type !== "string" || !data.type.startsWith("kubesim:")) return;
    const reply = (message) => event.source.postMessage(message, event.origin);
    const allowed = expected || hostOrigin();
    if (!allowed || event.origin !== allowed) {
      const message = `kubesim ignored "${data.type}" from ${event.origin}: this embed answers ${allowed ?? "no origin"} (set ?host=ORIGIN)`;
      console.warn(message);
      reply({ type: "kubesim:error", id: data.id, message });
      return;
    }
    const command = typeof data.command === "string" ? data.command : "";
    if (command.length > 10_000) {
      reply({ type: "kubesim:error", id: data.id, message: "kubesim: the command is longer than 10,000 characters" });
      return;
    }
    const [ok, output] = handle(data.type, command);
    reply(ok ? { type: "kubesim:result", id: data.id, output } : { type: "kubesim:error", id: data.id, message: output });
  });
}

/** Tells the embedding page something (`kubesim:ready`, `kubesim:step`, …). */
export function tellHost(expected, message) {
  const origin = expected || hostOrigin();
  if (window.parent !== window && origin) window.parent.postMessage(message, origin);
}
