# Bad input as Envoy Gateway reports it: a parentRef naming a listener the Gateway does
# not have (Accepted False, NoMatchingParent), a route of another namespace on a listener
# that admits its own namespace only (NotAllowedByListeners) and naming a Service across
# namespaces without a ReferenceGrant (RefNotPermitted, until the grant exists), a backendRef to a missing Service
# (ResolvedRefs False, BackendNotFound; its share of requests gets 500), a parentRef to a
# Gateway that does not exist (not Envoy Gateway's business: no status at all), and a
# SecurityPolicy naming a missing Secret (Accepted False, Invalid; its route answers 500).
kubectl create deployment web --image=nginx:1.27
kubectl expose deployment web --port=80
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
  name: wrong-listener
spec:
  parentRefs:
  - name: eg
    sectionName: https
  rules:
  - backendRefs:
    - name: web
      port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: missing-backend
spec:
  parentRefs:
  - name: eg
  hostnames:
  - missing.example.com
  rules:
  - backendRefs:
    - name: nothere
      port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: no-gateway
spec:
  parentRefs:
  - name: nosuchgateway
  rules:
  - backendRefs:
    - name: web
      port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: guarded
spec:
  parentRefs:
  - name: eg
  hostnames:
  - guarded.example.com
  rules:
  - backendRefs:
    - name: web
      port: 80
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  name: guard
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: guarded
  basicAuth:
    users:
      name: no-such-secret
EOF
sleep 20
kubectl get httproute
kubectl get httproute wrong-listener -o jsonpath='{range .status.parents[0].conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
kubectl get httproute missing-backend -o jsonpath='{range .status.parents[0].conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
kubectl get httproute no-gateway -o jsonpath='{.status}'
kubectl get securitypolicy guard -o jsonpath='{.status.ancestors[0].conditions[0].type}={.status.ancestors[0].conditions[0].status} {.status.ancestors[0].conditions[0].reason}: {.status.ancestors[0].conditions[0].message}{"\n"}'
kubectl get gateway eg -o jsonpath='{.status.listeners[0].name}: {.status.listeners[0].attachedRoutes} attached routes{"\n"}'
export GW=$(kubectl get gateway eg -o jsonpath='{.status.addresses[0].value}')
curl -i -H 'Host: missing.example.com' http://$GW/
sim trace
curl -i -H 'Host: guarded.example.com' http://$GW/
curl -i http://$GW/
# Another namespace: not allowed by the listener, and no grant for the Service.
kubectl create namespace team
kubectl apply -f - <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: across
  namespace: team
spec:
  parentRefs:
  - name: eg
    namespace: default
  rules:
  - backendRefs:
    - name: web
      namespace: default
      port: 80
EOF
sleep 1
kubectl get httproute across -n team -o jsonpath='{range .status.parents[0].conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
kubectl apply -f - <<EOF
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: team-routes
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    namespace: team
  to:
  - group: ""
    kind: Service
EOF
sleep 1
kubectl get httproute across -n team -o jsonpath='{range .status.parents[0].conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
# The schema's checks: an unknown path match type is refused.
kubectl apply -f - <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bad
spec:
  parentRefs:
  - name: eg
  rules:
  - matches:
    - path:
        type: Prefix
        value: /
EOF
