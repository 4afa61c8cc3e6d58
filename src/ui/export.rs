//! Saving what the page shows: the cluster view as SVG or PNG (see export.js, which
//! writes the page's own drawing rules and theme colours into the file) and the console
//! transcript as Markdown.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/ui/export.js")]
extern "C" {
    #[wasm_bindgen(js_name = saveSvg)]
    fn save_svg(svg: &web_sys::Element, filename: &str);
    #[wasm_bindgen(js_name = savePng)]
    fn save_png(svg: &web_sys::Element, filename: &str, scale: f64);
    #[wasm_bindgen(js_name = saveText)]
    pub fn save_text(text: &str, filename: &str, mime: &str);
}

fn cluster_svg() -> Option<web_sys::Element> {
    leptos::prelude::document()
        .query_selector("[data-testid=\"cluster-svg\"]")
        .ok()
        .flatten()
}

/// Saves the cluster view as `kubesim-cluster.svg`.
pub fn cluster_as_svg() {
    if let Some(svg) = cluster_svg() {
        save_svg(&svg, "kubesim-cluster.svg");
    }
}

/// Saves the cluster view as `kubesim-cluster.png`, at twice its size for slides.
pub fn cluster_as_png() {
    if let Some(svg) = cluster_svg() {
        save_png(&svg, "kubesim-cluster.png", 2.0);
    }
}
