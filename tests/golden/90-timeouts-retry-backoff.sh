# Slow backends and the time each router gives them. traefik/whoami sleeps for its `wait`
# query parameter (`/?wait=3s`). Envoy's route timeout — 15 s unless the HTTPRoute rule's
# `timeouts` or a BackendTrafficPolicy's `timeout.http.requestTimeout` set one — ends in
# 504 "upstream request timeout". ingress-nginx waits `proxy-read-timeout` (60 s unless
# the annotation says otherwise) and, for a GET, tries the next upstream twice more before
# its own 504 page. Retries of a BackendTrafficPolicy wait a jittered back-off first:
# retry n draws from [0, base × 2^(n−1)), capped at maxInterval.
kubectl create deployment slow --image=traefik/whoami
kubectl expose deployment slow --port=80
# A Service whose targetPort nothing listens on: every connection is refused.
kubectl expose deployment slow --name=refused --port=80 --target-port=9999
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
  name: slow
spec:
  parentRefs:
  - name: eg
  hostnames:
  - slow.example.com
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /quick
    timeouts:
      request: 2s
    backendRefs:
    - name: slow
      port: 80
  - matches:
    - path:
        type: PathPrefix
        value: /refused
    backendRefs:
    - name: refused
      port: 80
  - backendRefs:
    - name: slow
      port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: slow
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "5"
spec:
  rules:
  - host: slow.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: slow
            port:
              number: 80
EOF
sleep 60
export GW=$(kubectl get gateway eg -o jsonpath='{.status.addresses[0].value}')
export IP=$(kubectl get ingress slow -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
# The rule's timeouts.request (2 s): a 1 s answer passes, a 3 s one does not.
curl -s -o /dev/null -w '%{http_code} after %{time_total}s\n' -H 'Host: slow.example.com' "http://$GW/quick?wait=1s"
curl -i -H 'Host: slow.example.com' "http://$GW/quick?wait=3s"
sim trace
# No timeout anywhere: Envoy's default 15 s.
curl -s -o /dev/null -w '%{http_code} after %{time_total}s\n' -H 'Host: slow.example.com' "http://$GW/?wait=14s"
curl -s -o /dev/null -w '%{http_code} after %{time_total}s\n' -H 'Host: slow.example.com' "http://$GW/?wait=20s"
# curl's own -m gives up first.
curl -s -S -m 2 -H 'Host: slow.example.com' "http://$GW/?wait=5s"
# A BackendTrafficPolicy on the route: 4 s for the whole request, and retries on 503
# with a 100 ms back-off base.
kubectl apply -f - <<EOF
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata:
  name: slow
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: slow
  timeout:
    http:
      requestTimeout: 4s
  retry:
    numRetries: 3
    perRetry:
      backOff:
        baseInterval: 100ms
        maxInterval: 1s
    retryOn:
      triggers: ["connect-failure"]
EOF
sleep 2
curl -s -o /dev/null -w '%{http_code} after %{time_total}s\n' -H 'Host: slow.example.com' "http://$GW/?wait=3s"
curl -s -o /dev/null -w '%{http_code} after %{time_total}s\n' -H 'Host: slow.example.com' "http://$GW/?wait=5s"
# The route's own timeouts.request still wins on /quick.
curl -s -o /dev/null -w '%{http_code} after %{time_total}s\n' -H 'Host: slow.example.com' "http://$GW/quick?wait=3s"
# Nothing answers: each retry waits its back-off before the next connection.
curl -s -i -H 'Host: slow.example.com' "http://$GW/refused"
sim trace | grep -E '^ +[0-9]+\. '
# ingress-nginx: 5 s proxy-read-timeout, three tries for a GET, then 504.
curl -s -o /dev/null -w '%{http_code} after %{time_total}s\n' -H 'Host: slow.example.com' "http://$IP/?wait=4s"
curl -s -o /dev/null -w '%{http_code} after %{time_total}s\n' -H 'Host: slow.example.com' "http://$IP/?wait=6s"
sim trace | grep -E 'timed out|→ 504'
# A POST is not retried.
curl -s -X POST -H 'Host: slow.example.com' "http://$IP/?wait=6s"
