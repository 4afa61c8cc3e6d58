# A JWT SecurityPolicy whose provider carries its keys inline (localJWKS): Envoy's
# jwt_authn checks the issuer, the time window (60 s of clock skew), the audiences (a
# token for another audience is 403, not 401), then the HS256 signature against the
# JWKS "oct" key — each failure in jwt_verify_lib's words. The tokens were signed
# outside kubesim (HMAC-SHA256 with the key "kubesim-shared-secret"): alice's is valid
# until 2030, bob's expired before the cluster's clock starts, mallory's is signed with
# a guessed key, carol's is for the audience "admin".
kubectl create deployment shop --image=traefik/whoami
kubectl expose deployment shop --port=80
kubectl apply -f - <<'EOF'
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
  name: shop
spec:
  parentRefs:
  - name: eg
  hostnames:
  - shop.example.com
  rules:
  - backendRefs:
    - name: shop
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
    name: shop
  jwt:
    providers:
    - name: example
      issuer: https://issuer.example.com
      audiences:
      - shop
      localJWKS:
        type: Inline
        inline: |
          {"keys": [{"kty": "oct", "alg": "HS256", "kid": "shared", "k": "a3ViZXNpbS1zaGFyZWQtc2VjcmV0"}]}
EOF
sleep 20
kubectl get securitypolicy jwt
export GW=$(kubectl get gateway eg -o jsonpath='{.status.addresses[0].value}')
curl -s -i -H 'Host: shop.example.com' http://$GW/
export TOKEN=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImlzcyI6Imh0dHBzOi8vaXNzdWVyLmV4YW1wbGUuY29tIiwiYXVkIjoic2hvcCIsImV4cCI6MTg5MzQ1NjAwMH0.nkm6wMPZGz9MOAlT1FCQtB24D1WJfgj-phDAZgXay3s
curl -s -o /dev/null -w '%{http_code}\n' -H 'Host: shop.example.com' -H "Authorization: Bearer $TOKEN" http://$GW/
sim trace | grep verified
curl -s -i -H 'Host: shop.example.com' -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib2IiLCJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLmNvbSIsImF1ZCI6InNob3AiLCJleHAiOjE3NjcyMjUwMDB9.Gx1AOW-XA2gp21qAPoWfIh6pvJCAvozRuLJiovAhBKU' http://$GW/
curl -s -i -H 'Host: shop.example.com' -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtYWxsb3J5IiwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZS5jb20iLCJhdWQiOiJzaG9wIiwiZXhwIjoxODkzNDU2MDAwfQ.rGacs1VDRZZyMd15Wo1d6FuwbfY1gEIX9WuwM0WtQr4' http://$GW/
curl -s -i -H 'Host: shop.example.com' -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjYXJvbCIsImlzcyI6Imh0dHBzOi8vaXNzdWVyLmV4YW1wbGUuY29tIiwiYXVkIjoiYWRtaW4iLCJleHAiOjE4OTM0NTYwMDB9.bhbvnQ7OWBRfCFQ2sBRUbvYZlh8DYhgPmsFuzjEYvDs' http://$GW/
curl -s -i -H 'Host: shop.example.com' -H 'Authorization: Bearer not-a-jwt' http://$GW/
sim trace | grep 'SecurityPolicy jwt'
# ingress-nginx's regex paths: `use-regex: "true"` on one Ingress turns every path of its
# host into a case-insensitive regex location anchored at the start, tried longest first
# — also the other Ingress's Exact path. A rewrite-target implies the same; a literal
# target replaces the path (query kept).
kubectl apply -f - <<'EOF'
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api-regex
  annotations:
    nginx.ingress.kubernetes.io/use-regex: "true"
spec:
  rules:
  - host: api.example.com
    http:
      paths:
      - path: /v[0-9]+/users
        pathType: ImplementationSpecific
        backend:
          service:
            name: shop
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api-exact
spec:
  rules:
  - host: api.example.com
    http:
      paths:
      - path: /health
        pathType: Exact
        backend:
          service:
            name: shop
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  rules:
  - host: legacy.example.com
    http:
      paths:
      - path: /old
        pathType: Prefix
        backend:
          service:
            name: shop
            port:
              number: 80
EOF
sleep 60
curl -s -o /dev/null -w '%{http_code}\n' -H 'Host: api.example.com' http://172.18.255.250/v2/users/7
sim trace | grep 'ingress-nginx: host'
curl -s -o /dev/null -w '%{http_code}\n' -H 'Host: api.example.com' http://172.18.255.250/V10/USERS
curl -s -o /dev/null -w '%{http_code}\n' -H 'Host: api.example.com' http://172.18.255.250/healthz
sim trace | grep 'ingress-nginx: host'
curl -s -o /dev/null -w '%{http_code}\n' -H 'Host: api.example.com' http://172.18.255.250/users
curl -s -H 'Host: legacy.example.com' 'http://172.18.255.250/OLD/page?x=1' | grep '^GET'
sim trace | grep 'rewrite-target'
