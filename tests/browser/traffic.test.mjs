// Traffic on the page, packet by packet (issue #9's "Done when"), in real headless
// Chromium at a projector's 1280×720: a NodePort request from the laptop flies hop by
// hop and explains itself in the inspector, and comes back after a rewind; the DNS panel
// puts what a ClusterIP name and a headless name answer side by side; steady traffic
// spreads over three pods and their counters show the balance. The page is driven only
// through its console and editor, as a learner would. Screenshots go to
// target/screenshots/ for a person to look at.
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

/** Three nginx pods behind a NodePort Service on 30007 (LoadBalancer, so the cloud LB gets an address too). */
const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30007
`;

/** The seed notes' headless example: three whoami pods, a ClusterIP and a headless Service. */
const EXAMPLE = `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: example
  name: example
spec:
  replicas: 3
  selector:
    matchLabels:
      app: example
  template:
    metadata:
      labels:
        app: example
    spec:
      containers:
      - image: docker.io/traefik/whoami:latest
        name: whoami
        ports:
        - containerPort: 80
          name: http
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: example
  name: example
spec:
  ports:
  - name: http
    port: 80
    targetPort: http
  selector:
    app: example
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: example
  name: example-headless
spec:
  clusterIP: None
  ports:
  - name: http
    port: 80
    targetPort: http
  selector:
    app: example
`;

async function runInConsole(page, command) {
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(command);
  await input.press("Enter");
}

async function lastOutput(page) {
  return page.locator('[data-testid="console-output"]').textContent();
}

/** Opens the page at a projector's size, applies `yaml` from the editor (then closes it) and waits for `pods` running pods. */
async function openWith(yaml, pods) {
  const opened = await openPage(browser, server.url, { width: 1280, height: 720, path: "?demo=0" });
  const { page } = opened;
  await waitForApp(page);
  await page.click('[data-testid="toggle-editor"]');
  await page.locator('[data-testid="editor-text"]').fill(yaml);
  await page.click('[data-testid="editor-apply"]');
  await page.click('[data-testid="toggle-editor"]');
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="pod"][data-status="Running"][data-ready="1/1"]').length === n,
    pods,
    { timeout: 30_000 },
  );
  return opened;
}

/** The packets drawn now: [{flow, leg, class}]. */
async function packets(page) {
  return page.$$eval('[data-testid="packet"]', (elements) =>
    elements.map((el) => ({ flow: el.dataset.flow, leg: el.dataset.leg, class: el.getAttribute("class") })),
  );
}

describe("traffic", () => {
  test("a NodePort request from the laptop flies hop by hop, explains itself, and comes back after a rewind", async () => {
    const { context, page, errors } = await openWith(WEB, 3);
    // The outside world is drawn, the cloud LB with the address it gave the Service.
    await page.waitForFunction(() => /172\.18\.255\.2\d\d/.test(document.querySelector('[data-testid="outside-cloud-lb"]').textContent), null, { timeout: 10_000 });
    assert.match(await page.locator('[data-testid="outside-laptop"]').textContent(), /your laptop/);

    // Slowed to ¼× a hop takes 2.6 s: easy to follow from the back of the room.
    await page.selectOption('[data-testid="transport-speed"]', "0.25");
    await runInConsole(page, "curl http://172.18.0.4:30007/");
    assert.match(await lastOutput(page), /Welcome to nginx!/);
    const packet = page.locator('[data-testid="packet"]').first();
    await packet.waitFor({ state: "attached", timeout: 5_000 });
    const flow = await packet.getAttribute("data-flow");
    assert.match(await packet.getAttribute("class"), /packet-http/);
    // Wait until it is past the node, at kube-proxy's DNAT, then pause: it stops there.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="packet"]')?.dataset.leg) >= 2, null, { timeout: 15_000 });
    await page.click('[data-testid="transport-play"]');
    assert.equal(await page.locator('[data-testid="transport-status"]').textContent(), "paused");
    const leg = await packet.getAttribute("data-leg");
    await page.waitForTimeout(700);
    assert.equal(await packet.getAttribute("data-leg"), leg, "paused, the packet stays where it is");

    // Click it: the inspector explains every hop, the current one marked.
    await packet.locator(".packet-dot-group").click();
    assert.match(await page.locator('[data-testid="inspector-title"]').textContent(), /GET http:\/\/172\.18\.0\.4:30007\//);
    const hops = await page.locator('[data-testid="inspector-hops"] [data-testid="hop"]').allTextContents();
    assert.ok(hops.length >= 4, hops.join("\n"));
    assert.match(hops[0], /laptop → node worker-2/);
    assert.match(hops.join("\n"), /kube-proxy@worker-2/);
    assert.match(hops.join("\n"), /DNAT 172\.18\.0\.4:30007 → 10\.244\.\d+\.\d+:80/);
    assert.equal(await page.locator('[data-testid="hop"].current').count(), 1, "the hop the packet is on is marked");
    assert.match(await packet.locator(".packet-label").textContent(), /DNAT|→/);
    await screenshot(page, "traffic-nodeport-in-flight");

    // The same request in the Traffic panel's list.
    await page.click('[data-testid="tab-traffic"]');
    assert.equal(await page.locator(`[data-testid="flow"][data-flow="${flow}"]`).count(), 1);
    assert.match(await page.locator(`[data-testid="flow"][data-flow="${flow}"]`).textContent(), /HTTP 200/);

    // Rewind before the curl (the marker), play: the replay sends the very same flow again.
    const markers = page.locator('[data-testid="timeline-marker"]');
    await markers.last().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="packet"]').length === 0, null, { timeout: 5_000 });
    await page.selectOption('[data-testid="transport-speed"]', "1");
    await page.click('[data-testid="transport-play"]');
    await page.waitForSelector(`[data-testid="packet"][data-flow="${flow}"]`, { timeout: 10_000 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("the DNS panel: a ClusterIP name answers one virtual IP, a headless name every ready pod", async () => {
    const { context, page, errors } = await openWith(EXAMPLE, 3);
    await page.click('[data-testid="tab-dns"]');
    const card = (name) => page.locator(`[data-testid="dns-card"][data-service="${name}"]`);
    await card("example").waitFor();
    const clusterIp = await card("example").locator('[data-testid="dns-record"]').allTextContents();
    assert.equal(clusterIp.length, 1, clusterIp.join("\n"));
    assert.match(clusterIp[0], /A 10\.(9[6-9]|1[01]\d)\.\d+\.\d+/);
    assert.match(await card("example").textContent(), /example\.default\.svc\.cluster\.local/);
    await page.waitForFunction(() => document.querySelector('[data-testid="dns-card"][data-service="example-headless"]')?.dataset.records === "3", null, { timeout: 10_000 });
    const headless = await card("example-headless").locator('[data-testid="dns-record"]').allTextContents();
    assert.equal(headless.length, 3, headless.join("\n"));
    for (const record of headless) assert.match(record, /A 10\.244\.\d+\.\d+\s+example…[a-z0-9]{5}/);
    assert.match(await card("example-headless").textContent(), /every ready pod/);
    // Side by side, not stacked.
    const [a, b] = [await card("example").boundingBox(), await card("example-headless").boundingBox()];
    assert.ok(Math.abs(a.y - b.y) < 2 && b.x > a.x + a.width - 1, `side by side: ${JSON.stringify([a, b])}`);
    await screenshot(page, "traffic-dns-clusterip-vs-headless");
    // CoreDNS in the inspector answers the same.
    await page.click('[data-testid="component-CoreDNS"]');
    await page.locator('[data-testid="inspector"] [data-testid="dns-card"][data-service="example-headless"][data-records="3"]').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("steady traffic spreads over three pods, and their counters show the balance", async () => {
    const { context, page, errors } = await openWith(WEB, 3);
    const frames = await page.evaluate(() => {
      window.__packets = { max: 0, done: false };
      const sample = () => {
        window.__packets.max = Math.max(window.__packets.max, document.querySelectorAll('[data-testid="packet"]').length);
        if (!window.__packets.done) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
      return true;
    });
    assert.ok(frames);
    await runInConsole(page, "sim traffic start --to http://172.18.0.4:30007/ --rate 20 --from internet");
    assert.match(await lastOutput(page), /generator 1/);
    await page.click('[data-testid="tab-traffic"]');
    // Every pod answers some; the counters on the pods add up to the Service's.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="balance-row"]').length === 3, null, { timeout: 10_000 });
    await page.waitForTimeout(4_000);
    const rows = await page.$$eval('[data-testid="balance-row"]', (els) => els.map((el) => Number(el.dataset.count)));
    assert.equal(rows.length, 3);
    assert.ok(rows.every((n) => n > 5), `each pod answers a share: ${rows}`);
    // Both read at one moment: traffic keeps flowing, and a frame between two reads
    // counted a request or two more on the Service than on the pods read before it.
    const [badges, service] = await page.evaluate(() => [
      [...document.querySelectorAll('[data-testid="counter"]:not(.service-counter)')].map((el) => Number(el.dataset.count)),
      Number(document.querySelector('[data-testid="counter"].service-counter').dataset.count),
    ]);
    assert.equal(badges.length, 3, `a counter on each pod: ${badges}`);
    assert.equal(badges.reduce((a, b) => a + b, 0), service, "pods' counters add up to the Service's");
    // Packets fly, some of them: sampled, never more than the cap.
    const flying = await packets(page);
    assert.ok(flying.length > 0, "packets in flight");
    assert.ok(flying.every((p) => /packet-http/.test(p.class)), JSON.stringify(flying.slice(0, 3)));
    await screenshot(page, "traffic-steady-balance");
    await runInConsole(page, "sim traffic stop all");
    const max = await page.evaluate(() => {
      window.__packets.done = true;
      return window.__packets.max;
    });
    assert.ok(max <= 50, `at most 50 packets drawn (saw ${max})`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a port-forward is a tunnel from the laptop through the apiserver and the kubelet", async () => {
    const { context, page, errors } = await openWith(WEB, 3);
    await runInConsole(page, "kubectl port-forward svc/web 8080:80");
    assert.match(await lastOutput(page), /Forwarding from 127\.0\.0\.1:8080 -> 80/);
    const tunnel = page.locator('[data-testid="tunnel"]');
    await tunnel.waitFor({ timeout: 5_000 });
    assert.match(await tunnel.textContent(), /port-forward :8080 → svc\/web:80/);
    await runInConsole(page, "curl localhost:8080");
    assert.match(await lastOutput(page), /Welcome to nginx!/);
    await page.click('[data-testid="tab-traffic"]');
    await page.locator('[data-testid="flow"]').last().click();
    const hops = (await page.locator('[data-testid="inspector-hops"]').textContent()).replace(/\s+/g, " ");
    assert.match(hops, /laptop → kube-apiserver.*kube-apiserver → kubelet@worker-\d.*kubelet@worker-\d → pod default\/web-/);
    assert.doesNotMatch(hops, /kube-proxy@/, "never through kube-proxy");
    assert.deepEqual(errors, []);
    await context.close();
  });
});
