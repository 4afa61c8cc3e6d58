// Shared by the post-build hook (csp.mjs) and the one-file build (single.mjs).
/**
 * `html` with `tag` first in its head, before any script. The release build's minifier
 * drops the optional `<head>` (and `<html>`) start tags, so the head then starts right
 * after the doctype.
 */
export function atHeadStart(html, tag) {
  for (const start of [/<head\b[^>]*>/i, /<html\b[^>]*>/i, /<!doctype html>/i]) {
    const match = html.match(start);
    if (match) return html.slice(0, match.index + match[0].length) + tag + html.slice(match.index + match[0].length);
  }
  return tag + html;
}
