// Share links' compression: deflate (raw) and base64url, with the browser's own
// CompressionStream, so the page carries no compression library. Loaded by
// wasm-bindgen as a module next to the page's script.

async function through(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** `text` deflated and base64url-encoded. */
export async function pack(text) {
  const bytes = await through(new TextEncoder().encode(text), new CompressionStream("deflate-raw"));
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * After a panic, when the WebAssembly module has stopped for good: packs the session
 * `json` (src/ui/recovery.rs) and arms the error banner's Restart button with the link
 * that replays it (boot.js follows it). Nothing here calls back into the module.
 */
export function offerRestart(json, limit) {
  pack(json).then((packed) => {
    const button = document.getElementById("error-banner-restart");
    if (!button || packed.length > limit) return;
    button.dataset.href = location.pathname + location.search + "#share=" + packed;
    button.hidden = false;
  }, () => {});
}

/** The text `packed` holds; rejects (with a reason) when it is damaged. */
export async function unpack(packed, limit) {
  if (!/^[A-Za-z0-9_-]*$/.test(packed)) throw new Error("it holds characters a link never has");
  const base64 = packed.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  let text;
  try {
    const out = await through(bytes, new DecompressionStream("deflate-raw"));
    if (out.length > limit) throw new Error("too big");
    text = new TextDecoder("utf-8", { fatal: true }).decode(out);
  } catch {
    throw new Error("it is damaged (its data does not decompress)");
  }
  return text;
}
