# An API-key SecurityPolicy on an HTTPRoute: no key → 401 "Client authentication
# failed.", a wrong key → 401, a key from the Secret → 200. Envoy Gateway reads the
# Secret's data: each key is a client id, each value an API key.
kubectl create deployment api --image=traefik/whoami
kubectl expose deployment api --port=80
kubectl apply -f - <<EOF
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
  name: api
spec:
  parentRefs:
  - name: eg
  hostnames:
  - api.example.com
  rules:
  - backendRefs:
    - name: api
      port: 80
---
apiVersion: v1
kind: Secret
metadata:
  name: apikey-secret
stringData:
  client1: supersecret
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  name: api-key-auth
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: api
  apiKeyAuth:
    credentialRefs:
    - group: ""
      kind: Secret
      name: apikey-secret
    extractFrom:
    - headers:
      - x-api-key
EOF
sleep 20
kubectl get gateway,httproute,securitypolicy
kubectl get securitypolicy api-key-auth -o jsonpath='{.status.ancestors[0].ancestorRef.name}: {.status.ancestors[0].conditions[0].type}={.status.ancestors[0].conditions[0].status} {.status.ancestors[0].conditions[0].message}{"\n"}'
export GW=$(kubectl get gateway eg -o jsonpath='{.status.addresses[0].value}')
curl -i -H 'Host: api.example.com' http://$GW/
sim trace
curl -i -H 'Host: api.example.com' -H 'x-api-key: guess' http://$GW/
curl -i -H 'Host: api.example.com' -H 'x-api-key: supersecret' http://$GW/
sim trace
