# HTTPRoute filters (a 301 redirect; a prefix rewrite with request and response header
# changes), a SecurityPolicy with basic auth then authorization by client address (401
# without credentials, 403 for an address no rule allows), a JWT policy (401 "Jwt is
# missing"), and a BackendTrafficPolicy that retries a refused connection before Envoy
# gives up with 503.
kubectl create deployment echo --image=traefik/whoami
kubectl expose deployment echo --port=80
kubectl create deployment web --image=nginx:1.27
kubectl expose deployment web --port=80
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: dead
spec:
  selector:
    app: echo
  ports:
  - port: 80
    targetPort: 8080
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
  name: filters
spec:
  parentRefs:
  - name: eg
  hostnames:
  - filters.example.com
  rules:
  - matches:
    - path:
        type: Exact
        value: /old
    filters:
    - type: RequestRedirect
      requestRedirect:
        path:
          type: ReplaceFullPath
          replaceFullPath: /new
        statusCode: 301
  - matches:
    - path:
        type: PathPrefix
        value: /api
    filters:
    - type: URLRewrite
      urlRewrite:
        path:
          type: ReplacePrefixMatch
          replacePrefixMatch: /
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: x-team
          value: blue
        add:
        - name: x-tenant
          value: acme
    - type: ResponseHeaderModifier
      responseHeaderModifier:
        add:
        - name: x-served-by
          value: envoy-gateway
    backendRefs:
    - name: echo
      port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: admin
spec:
  parentRefs:
  - name: eg
  hostnames:
  - admin.example.com
  rules:
  - backendRefs:
    - name: web
      port: 80
---
apiVersion: v1
kind: Secret
metadata:
  name: basic-auth
stringData:
  .htpasswd: |
    foo:{SHA}Ys23Ag/5IOWqZCw9QGaVDdHwH00=
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  name: admin-only
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: admin
  basicAuth:
    users:
      name: basic-auth
  authorization:
    defaultAction: Deny
    rules:
    - name: office
      action: Allow
      principal:
        clientCIDRs:
        - 10.0.0.0/8
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: tokens
spec:
  parentRefs:
  - name: eg
  hostnames:
  - tokens.example.com
  rules:
  - backendRefs:
    - name: web
      port: 80
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  name: jwt
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: tokens
  jwt:
    providers:
    - name: example
      remoteJWKS:
        uri: https://raw.githubusercontent.com/envoyproxy/gateway/main/examples/kubernetes/jwt/jwks.json
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: flaky
spec:
  parentRefs:
  - name: eg
  hostnames:
  - flaky.example.com
  rules:
  - backendRefs:
    - name: dead
      port: 80
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata:
  name: retry
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: flaky
  retry:
    numRetries: 2
    retryOn:
      triggers:
      - connect-failure
EOF
sleep 20
kubectl get httproute
export GW=$(kubectl get gateway eg -o jsonpath='{.status.addresses[0].value}')
curl -i -H 'Host: filters.example.com' "http://$GW/old?page=2"
curl -i -H 'Host: filters.example.com' http://$GW/api/users
sim trace
curl -i -H 'Host: admin.example.com' http://$GW/
curl -i -H 'Authorization: Basic Zm9vOndyb25n' -H 'Host: admin.example.com' http://$GW/
curl -i -H 'Authorization: Basic Zm9vOmJhcg==' -H 'Host: admin.example.com' http://$GW/
sim trace
curl -i -H 'Host: tokens.example.com' http://$GW/
curl -i -H 'Host: flaky.example.com' http://$GW/
sim trace
