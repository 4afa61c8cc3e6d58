// No injection (issue #12): objects whose annotations, container args, image names (so
// event messages), log lines, console input and request paths carry a corpus of XSS
// payloads are rendered in every panel — the cluster view, the inspector (events,
// describe, YAML), the console, the editor, the message log, the Traffic and DNS panels
// and a flow's hops — and the test fails if any script runs (alert/confirm/prompt and
// `window.__pwned` are hooked) or any element appears that the page did not create (every
// payload that builds markup marks it `data-pwn`; no page element carries an `on…`
// attribute, since Leptos attaches listeners with addEventListener). Object names and
// label values cannot hold such text (the apiserver rejects it; tests/properties.rs checks
// that), so they appear through the console's rejections instead. The page's CSP must
// block nothing either (the harness counts violations as errors).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, openPage, screenshot, serveStatic, waitForApp } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await serveStatic();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const RUN = "window.__pwned=1";

/** At least 50 payloads: tags, event handlers, javascript: URLs, SVG, broken-out quotes,
 * closing the element they land in, template syntax, encodings and Unicode tricks. */
export const PAYLOADS = [
  `<script data-pwn>${RUN}</script>`,
  `<script data-pwn src="data:text/javascript,${RUN}"></script>`,
  `<img data-pwn src=x onerror=alert(1)>`,
  `<img data-pwn src="x" onerror="${RUN}">`,
  `<svg data-pwn onload=alert(1)>`,
  `<svg><script data-pwn>${RUN}</script></svg>`,
  `<svg data-pwn><animate onbegin=alert(1) attributeName=x dur=1s>`,
  `<iframe data-pwn src="javascript:alert(1)"></iframe>`,
  `<iframe data-pwn srcdoc="<script>parent.__pwned=1</script>"></iframe>`,
  `<body data-pwn onload=alert(1)>`,
  `<details data-pwn open ontoggle=alert(1)>`,
  `<input data-pwn autofocus onfocus=alert(1)>`,
  `<video data-pwn><source onerror=alert(1)></video>`,
  `<audio data-pwn src=x onerror=alert(1)>`,
  `<marquee data-pwn onstart=alert(1)>`,
  `<object data-pwn data="javascript:alert(1)">`,
  `<embed data-pwn src="javascript:alert(1)">`,
  `<a data-pwn href="javascript:alert(1)">click</a>`,
  `<math data-pwn><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  `<form data-pwn action="javascript:alert(1)"><button>go</button></form>`,
  `<base data-pwn href="javascript:alert(1)//">`,
  `<meta data-pwn http-equiv="refresh" content="0;url=javascript:alert(1)">`,
  `<link data-pwn rel=import href="data:text/html,<script>alert(1)</script>">`,
  `<style data-pwn>@import "javascript:alert(1)";</style>`,
  `<div data-pwn style="background:url(javascript:alert(1))">`,
  `"><img data-pwn src=x onerror=alert(1)>`,
  `'><svg data-pwn onload=alert(1)>`,
  `" onmouseover="${RUN}`,
  `' onfocus='${RUN}' autofocus='`,
  `" autofocus onfocus=alert(1) x="`,
  `</pre><img data-pwn src=x onerror=alert(1)>`,
  `</textarea><script data-pwn>${RUN}</script>`,
  `</title><script data-pwn>${RUN}</script>`,
  `</code></td></tr></table><img data-pwn src=x onerror=alert(1)>`,
  `]]><svg data-pwn onload=alert(1)>`,
  `<!--<img data-pwn src=x onerror=alert(1)>-->`,
  `<![CDATA[<img data-pwn src=x onerror=alert(1)>]]>`,
  `javascript:alert(1)`,
  `JaVaScRiPt:alert(1)`,
  `java\tscript:alert(1)`,
  `data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==`,
  `vbscript:msgbox(1)`,
  `{{constructor.constructor('${RUN}')()}}`,
  `\${alert(1)}`,
  `#{alert(1)}`,
  `&lt;img data-pwn src=x onerror=alert(1)&gt;`,
  `&#60;script&#62;alert(1)&#60;/script&#62;`,
  `%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
  `\u003cimg data-pwn src=x onerror=alert(1)\u003e`,
  `＜script＞alert(1)＜/script＞`,
  `<scr\u200bipt data-pwn>${RUN}</scr\u200bipt>`,
  `\u202e<img data-pwn src=x onerror=alert(1)>`,
  `<img data-pwn src=x onerror=alert&#40;1&#41;>`,
  `<img/data-pwn/src=x/onerror=alert(1)>`,
  `<IMG DATA-PWN SRC=x OnErRoR=alert(1)>`,
  `<<script data-pwn>${RUN}//<</script>`,
  `<svg data-pwn><a xlink:href="javascript:alert(1)"><text x=0 y=20>x</text></a></svg>`,
  `<template data-pwn><img src=x onerror=alert(1)></template>`,
];

/** A YAML double-quoted scalar (JSON's escapes are YAML's). */
const quoted = (s) => JSON.stringify(s);

/** Payloads a shell `echo '…'` line carries unchanged (for log lines). */
const echoable = PAYLOADS.filter((p) => !/['\n;&]/.test(p));

function manifest() {
  const annotations = PAYLOADS.map((p, i) => `    xss.example.com/p${i}: ${quoted(p)}`).join("\n");
  const args = PAYLOADS.slice(0, 20).map((p) => `        - ${quoted(p)}`).join("\n");
  const script = echoable.map((p) => `echo '${p}'`).join("\n") + "\nsleep infinity";
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hostile
  annotations:
${annotations}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: hostile
  template:
    metadata:
      labels:
        app: hostile
      annotations:
${annotations.replace(/^ {4}/gm, "        ")}
    spec:
      containers:
      - name: talker
        image: busybox:1.36
        command: ["sh", "-c", ${quoted(script)}]
      - name: web
        image: nginx:1.27
        args:
${args}
---
apiVersion: v1
kind: Service
metadata:
  name: hostile
  annotations:
${annotations}
spec:
  type: NodePort
  selector:
    app: hostile
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30080
---
apiVersion: v1
kind: Pod
metadata:
  name: bad-image
spec:
  containers:
  - name: c
    image: ${quoted(PAYLOADS[2])}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hostile
  annotations:
${annotations}
data:
${PAYLOADS.map((p, i) => `  k${i}: ${quoted(p)}`).join("\n")}
`;
}

/** Hooks every way a payload could show it ran, before the page loads. */
async function hookScripts(page) {
  await page.addInitScript(() => {
    window.__pwned = 0;
    for (const name of ["alert", "confirm", "prompt", "print"]) {
      window[name] = () => {
        window.__pwned += 1;
      };
    }
  });
}

async function setEditorOpen(page, open) {
  if ((await page.locator('[data-testid="editor-text"]').isVisible()) !== open) {
    await page.click('[data-testid="toggle-editor"]');
  }
}

async function runInConsole(page, command) {
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(command);
  await input.press("Enter");
}

/** What a payload could have done so far. */
async function damage(page) {
  return page.evaluate(() => {
    const injected = [...document.querySelectorAll("[data-pwn]")].map((el) => el.outerHTML.slice(0, 80));
    const handlers = [];
    for (const el of document.querySelectorAll("*")) {
      for (const attribute of el.attributes) {
        if (/^on/i.test(attribute.name)) handlers.push(`<${el.tagName} ${attribute.name}>`);
        if (/^\s*(javascript|vbscript|data):/i.test(attribute.value) && /^(href|src|action|data|xlink:href|formaction)$/i.test(attribute.name)) {
          handlers.push(`<${el.tagName} ${attribute.name}=${attribute.value.slice(0, 40)}>`);
        }
      }
    }
    const foreign = [...document.querySelectorAll("iframe, object, embed, base, frame, frameset")].map((el) => el.tagName);
    const inlineScripts = [...document.querySelectorAll("script")].filter((s) => !s.src).length;
    return { pwned: window.__pwned, injected, handlers, foreign, inlineScripts };
  });
}

function assertUnharmed(state, where) {
  assert.deepEqual(
    state,
    { pwned: 0, injected: [], handlers: [], foreign: [], inlineScripts: 0 },
    `after ${where}: a payload ran or became markup`,
  );
}

describe("no injection", () => {
  test(`${PAYLOADS.length} XSS payloads render as text in every panel`, async () => {
    assert.ok(PAYLOADS.length >= 50);
    const { context, page, errors, outside } = await openPage(browser, server.url, {
      width: 1600,
      height: 900,
      path: "?demo=0",
      beforeLoad: hookScripts,
    });
    await waitForApp(page);

    // The editor highlights what it is given (through innerHTML): the payloads as YAML.
    await setEditorOpen(page, true);
    await page.locator('[data-testid="editor-text"]').fill(manifest());
    assertUnharmed(await damage(page), "pasting the manifest into the editor");
    await page.click('[data-testid="editor-apply"]');
    try {
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="pod"][data-pod^="hostile-"][data-status="Running"]').length === 1,
        null,
        { timeout: 30_000 },
      );
    } catch (e) {
      const pods = await page.$$eval('[data-testid="pod"]', (els) => els.map((el) => `${el.dataset.pod} ${el.dataset.status}`));
      const said = await page.locator('[data-testid="console-output"]').textContent();
      assert.fail(`the hostile Deployment did not run: pods ${pods.join(", ")}; console: ${said.slice(-1500)}`);
    }
    // A manifest the apiserver rejects with the payload in its message, marked in the editor.
    await page.locator('[data-testid="editor-text"]').fill(`apiVersion: v1\nkind: ${quoted(PAYLOADS[0])}\nmetadata:\n  name: x\n`);
    await page.click('[data-testid="editor-apply"]');
    await page.waitForTimeout(300);
    await screenshot(page, "xss-editor");
    assertUnharmed(await damage(page), "the editor's error marker");
    await setEditorOpen(page, false);

    // The console: every payload as an argument kubectl rejects and echoes back, the
    // objects described, their YAML, the pods' logs, the events, a request whose path is one.
    for (const [i, p] of PAYLOADS.entries()) {
      const shell = `'${p.replace(/'/g, "'\\''")}'`;
      await runInConsole(page, i % 2 ? `kubectl get pod ${shell}` : `kubectl label pod bad-image x=${shell}`);
    }
    const pod = await page.getAttribute('[data-testid="pod"][data-pod^="hostile-"]', "data-pod");
    for (const command of [
      "kubectl describe deployment hostile",
      `kubectl describe pod ${pod}`,
      "kubectl get configmap hostile -o yaml",
      `kubectl logs ${pod} -c talker`,
      "kubectl describe pod bad-image",
      "kubectl get events",
      `curl -s 'http://172.18.0.3:30080/${encodeURI(PAYLOADS[2]).replace(/'/g, "%27")}'`,
      `curl -s -H 'X-Forwarded-For: ${PAYLOADS[4]}' http://172.18.0.3:30080/`,
      "sim trace",
    ]) {
      await runInConsole(page, command);
    }
    await page.waitForTimeout(500);
    const consoleText = await page.locator('[data-testid="console-output"]').textContent();
    assert.ok(consoleText.includes(PAYLOADS[3]), "the describe output shows a payload as text");
    assert.ok(consoleText.includes(echoable[0]), "the logs show a payload as text");
    assert.match(consoleText, /InvalidImageName|ErrImagePull|couldn't parse image/, "the bad image's event");
    await screenshot(page, "xss-console");
    assertUnharmed(await damage(page), "the console");

    // The inspector: the pod's events, describe and YAML; then the bad-image pod.
    await page.click(`[data-testid="pod"][data-pod="${pod}"]`);
    await page.click('[data-testid="inspector"] summary:has-text("-o yaml")');
    await page.waitForFunction(() => document.querySelector('[data-testid="inspector-yaml"]').textContent.includes("xss.example.com/p0"));
    await screenshot(page, "xss-inspector");
    assertUnharmed(await damage(page), "the inspector");
    await page.click('[data-testid="pod"][data-pod="bad-image"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="inspector-yaml"]').textContent.includes("bad-image"));
    assert.ok(
      (await page.locator('[data-testid="inspector-details"]').textContent()).includes(PAYLOADS[2]),
      "the bad image's events and YAML hold the payload as text",
    );
    assertUnharmed(await damage(page), "the inspector's events");

    // The side panels: messages, traffic (with the request whose path is a payload), DNS.
    for (const tab of ["tab-messages", "tab-traffic", "tab-dns"]) {
      await page.locator(`[data-testid="${tab}"]:visible`).first().click();
      await page.waitForTimeout(300);
      await screenshot(page, `xss-${tab}`);
      assertUnharmed(await damage(page), tab);
    }
    await page.locator('[data-testid="tab-traffic"]:visible').first().click();
    await page.locator('[data-testid="flow"]:visible').first().click();
    await page.waitForSelector('[data-testid="inspector-hops"]');
    assertUnharmed(await damage(page), "a flow's hops");

    assert.deepEqual(errors, [], "no console error and no CSP violation");
    assert.deepEqual(outside, [], "no request left the page's origin");
    await context.close();
  });
});
