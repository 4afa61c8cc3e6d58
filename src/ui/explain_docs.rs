//! `kubectl explain`'s field documentation, loaded on first use: the served page fetches
//! `explain-docs.txt` (107 KiB brotli, kept out of the first download); the one-file
//! build (`make single`, no network) carries it as inert text in
//! `<script type="text/plain" id="kubesim-explain-docs">`.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::console::explain::docs;

const FILE: &str = "explain-docs.txt";
const INLINE_ID: &str = "kubesim-explain-docs";

/// Whether a typed line needs the documentation first: any line naming `explain` (an
/// alias or a `$(…)` included); a false positive only waits for the file once.
pub fn wanted_by(line: &str) -> bool {
    line.contains("explain") && !docs::loaded()
}

/// Loads and installs the documentation (once; later calls return at once).
pub async fn load() -> Result<(), String> {
    if docs::loaded() {
        return Ok(());
    }
    let text = match inline_text() {
        Some(text) => text,
        None => fetch_text(FILE).await?,
    };
    docs::install(&text)
}

fn inline_text() -> Option<String> {
    web_sys::window()?
        .document()?
        .get_element_by_id(INLINE_ID)?
        .text_content()
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let failed = |e: wasm_bindgen::JsValue| format!("{url}: {e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(failed)?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}
