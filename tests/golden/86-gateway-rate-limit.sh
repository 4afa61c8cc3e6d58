# A BackendTrafficPolicy with a local rate limit of 3 requests per minute: the fourth
# request in the minute gets Envoy's 429 "local_rate_limited"; the bucket refills when the
# next minute starts.
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
  name: web
spec:
  parentRefs:
  - name: eg
  rules:
  - backendRefs:
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
          requests: 3
          unit: Minute
EOF
sleep 20
kubectl get backendtrafficpolicy
export GW=$(kubectl get gateway eg -o jsonpath='{.status.addresses[0].value}')
curl -s -o /dev/null -w '%{http_code}\n' http://$GW/
curl -s -o /dev/null -w '%{http_code}\n' http://$GW/
curl -sI http://$GW/
curl -i http://$GW/
sim trace
sleep 60
curl -s -o /dev/null -w '%{http_code}\n' http://$GW/
