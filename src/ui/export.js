// Export of what the page shows, for slides and docs: the cluster view as SVG or PNG
// exactly as drawn (the page's own CSS rules for the drawing and the theme's colours
// are written into the file, so it renders the same anywhere), and text files such as
// the console transcript. Loaded by wasm-bindgen as a module next to the page's script.

/** The drawing as a standalone SVG document (a string). */
export function svgDocument(svg) {
  const copy = svg.cloneNode(true);
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const box = svg.viewBox.baseVal;
  copy.setAttribute("width", String(box.width));
  copy.setAttribute("height", String(box.height));
  // Only what the drawing needs: the rules that style it, and the values of the
  // theme's custom properties as they are right now (dark or light).
  const rules = [];
  for (const sheet of document.styleSheets) {
    let list;
    try { list = sheet.cssRules; } catch { continue; }
    for (const rule of list) {
      if (rule.selectorText && rule.selectorText.includes("cluster-svg")) rules.push(rule.cssText);
    }
  }
  const computed = getComputedStyle(svg);
  const variables = [];
  for (const sheet of document.styleSheets) {
    let list;
    try { list = sheet.cssRules; } catch { continue; }
    for (const rule of list) {
      if (!rule.style) continue;
      for (const name of rule.style) {
        const value = name.startsWith("--") ? computed.getPropertyValue(name).trim() : "";
        if (value) variables.push(`${name}: ${value};`);
      }
    }
  }
  const font = getComputedStyle(document.body).fontFamily;
  const style = document.createElementNS("http://www.w3.org/2000/svg", "style");
  // Last, so it wins over the page's `font-family: inherit` (a file has nothing to
  // inherit from).
  style.textContent =
    rules.join("\n") + `\n.cluster-svg { ${[...new Set(variables)].join(" ")} font-family: ${font}; }\n`;
  copy.insertBefore(style, copy.firstChild);
  const background = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  background.setAttribute("width", "100%");
  background.setAttribute("height", "100%");
  background.setAttribute("fill", computed.getPropertyValue("--panel").trim() || "#131b28");
  copy.insertBefore(background, style.nextSibling);
  // Interaction-only attributes mean nothing in a file.
  for (const el of copy.querySelectorAll("[tabindex]")) el.removeAttribute("tabindex");
  return new XMLSerializer().serializeToString(copy);
}

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves `text` as a file. */
export function saveText(text, filename, type) {
  download(new Blob([text], { type }), filename);
}

/** Saves the drawing as an SVG file. */
export function saveSvg(svg, filename) {
  download(new Blob([svgDocument(svg)], { type: "image/svg+xml" }), filename);
}

/** Saves the drawing as a PNG at `scale` times its size (2 for crisp slides). */
export function savePng(svg, filename, scale) {
  const source = svgDocument(svg);
  const box = svg.viewBox.baseVal;
  const image = new Image();
  const url = URL.createObjectURL(new Blob([source], { type: "image/svg+xml" }));
  image.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(box.width * scale);
    canvas.height = Math.round(box.height * scale);
    const context = canvas.getContext("2d");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, box.width, box.height);
    URL.revokeObjectURL(url);
    canvas.toBlob((blob) => download(blob, filename), "image/png");
  };
  image.onerror = () => URL.revokeObjectURL(url);
  image.src = url;
}
