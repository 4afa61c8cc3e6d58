// Runs before the app, as a file rather than inline so the page's Content-Security-Policy
// can forbid every inline script (scripts/csp.mjs adds the policy at build time).
//
// 1. The theme before first paint: the remembered choice, else the system's preference.
//    src/ui/theme.rs uses the same key. A denied localStorage (a sandboxed iframe, some
//    private windows) throws on access; the system preference is used then.
(function () {
  var theme = null;
  try { theme = localStorage.getItem("kubesim-theme"); } catch (e) {}
  if (theme !== "light" && theme !== "dark") {
    theme = window.matchMedia && matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
  }
  document.documentElement.setAttribute("data-theme", theme);
})();

// 2. Until the app has started, a failure to load or start it (a missing file, no
//    WebAssembly, an exception in start-up) shows the error banner instead of a page that
//    spins forever. After start, src/ui/panic_banner.rs reports panics the same way.
(function () {
  var started = false;
  function fail(detail) {
    if (started) return;
    var banner = document.getElementById("error-banner");
    if (!banner || banner.getAttribute("data-kind") === "panic") return;
    banner.setAttribute("data-kind", "load");
    document.getElementById("error-banner-detail").textContent = detail;
    banner.hidden = false;
    var loading = document.getElementById("app-loading");
    if (loading) loading.remove();
  }
  addEventListener("TrunkApplicationStarted", function () { started = true; });
  addEventListener("error", function (event) {
    var what = event.message || (event.target && (event.target.src || event.target.href)) || "unknown error";
    fail("Loading failed: " + what);
  }, true);
  addEventListener("unhandledrejection", function (event) {
    fail("Start-up failed: " + (event.reason && event.reason.message || event.reason));
  });
  if (typeof WebAssembly !== "object") fail("This browser has no WebAssembly.");
  setTimeout(function () {
    if (!started && document.getElementById("app-loading")) {
      fail("kubesim has not started after 30 seconds.");
    }
  }, 30000);
  // The banner's buttons (an inline onclick would need 'unsafe-inline'). Restart, after a
  // panic, loads the share link src/ui/share.js armed it with: the session replayed
  // without the command that crashed it. Only the fragment changes, so reload too.
  addEventListener("click", function (event) {
    var target = event.target;
    if (!target) return;
    if (target.id === "error-banner-reload") location.reload();
    if (target.id === "error-banner-restart" && target.dataset.href) {
      history.replaceState(null, "", target.dataset.href);
      location.reload();
    }
  });
})();
