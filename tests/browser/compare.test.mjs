// The Compare tab (issue #11's "Done when"): the same requests through ingress-nginx and
// through an Envoy Gateway, side by side. One Service behind an Ingress and behind a
// Gateway whose route has a local rate limit and whose /secure route needs an API key:
// after a burst to / and one to /secure, the Ingress passed every request to nginx while
// the Gateway limited (429) and rejected (401) before the application saw them. Screenshot in target/screenshots/.
import { after, before, test } from "node:test";
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

const SETUP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
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
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: eg
spec:
  gatewayClassName: eg
  listeners:
  - name: http
    protocol: HTTP
    port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs:
  - name: eg
  rules:
  - backendRefs:
    - name: web
      port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: secure
spec:
  parentRefs:
  - name: eg
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /secure
    backendRefs:
    - name: web
      port: 80
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata:
  name: rl
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: web
  rateLimit:
    type: Local
    local:
      rules:
      - limit:
          requests: 5
          unit: Minute
---
apiVersion: v1
kind: Secret
metadata:
  name: keys
stringData:
  client1: secret
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  name: api-key
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: secure
  apiKeyAuth:
    credentialRefs:
    - name: keys
    extractFrom:
    - headers:
      - x-api-key
`;

test("the Compare tab shows the Ingress routing what the Gateway limits and rejects", async () => {
  const { page, errors, context } = await openPage(browser, server.url, { width: 1600, height: 900, path: "?demo=0" });
  await waitForApp(page);
  // A wide page opens with the editor showing; a narrow one with it closed.
  const editor = page.locator('[data-testid="editor-text"]');
  if (!(await editor.isVisible())) await page.click('[data-testid="toggle-editor"]');
  await editor.fill(SETUP);
  await page.click('[data-testid="editor-apply"]');
  await page.click('[data-testid="toggle-editor"]');
  const input = page.locator('[data-testid="console-input"]');
  await input.fill("sleep 30");
  await input.press("Enter");
  await page.click('[data-testid="tab-compare"]');
  await page.locator('[data-testid="compare-gateway"] code').filter({ hasText: "172.18.255.200" }).waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="compare-count"]').fill("8");
  await page.click('[data-testid="compare-send"]');
  await page.locator('[data-testid="compare-path"]').fill("/secure");
  await page.locator('[data-testid="compare-count"]').fill("3");
  await page.click('[data-testid="compare-send"]');
  const gateway = page.locator('[data-testid="compare-gateway"]');
  const ingress = page.locator('[data-testid="compare-ingress"]');
  await gateway.locator(".compare-tally").first().waitFor({ timeout: 10_000 });
  const gw = await gateway.locator(".compare-tallies").textContent();
  const ing = await ingress.locator(".compare-tallies").textContent();
  assert.match(gw, /429/, gw);
  assert.match(gw, /401/, gw);
  // The Ingress passes everything to nginx (which has no /secure page: its own 404).
  assert.match(ing, /200 → default\/web\s*8×/, ing);
  assert.match(ing, /404 → default\/web\s*3×/, ing);
  assert.doesNotMatch(ing, /401|429/, ing);
  assert.match(await gateway.locator(".compare-hops").textContent(), /SecurityPolicy api-key/);
  await screenshot(page, "compare-ingress-vs-gateway");
  assert.deepEqual(errors, []);
  await context.close();
});
