# Envoy Gateway: a Gateway of class eg gets its own Envoy Deployment and LoadBalancer
# Service in envoy-gateway-system; an HTTPRoute sends `env: canary` to v2 and splits the
# rest of /app 90/10 between v1 and v2 (2,000 requests: about 1,800 and 200). PathPrefix
# is element-wise: /application is not under /app, and Envoy answers 404 with no body.
kubectl get gatewayclass
kubectl create deployment v1 --image=hashicorp/http-echo -- /http-echo -text=v1
kubectl create deployment v2 --image=hashicorp/http-echo -- /http-echo -text=v2
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: v1
spec:
  selector:
    app: v1
  ports:
  - port: 80
    targetPort: 5678
---
apiVersion: v1
kind: Service
metadata:
  name: v2
spec:
  selector:
    app: v2
  ports:
  - port: 80
    targetPort: 5678
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
  name: app
spec:
  parentRefs:
  - name: eg
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /app
      headers:
      - name: env
        value: canary
    backendRefs:
    - name: v2
      port: 80
  - matches:
    - path:
        type: PathPrefix
        value: /app
    backendRefs:
    - name: v1
      port: 80
      weight: 90
    - name: v2
      port: 80
      weight: 10
EOF
kubectl get gateway
sleep 20
kubectl get gateway
kubectl get httproute
kubectl get deploy,svc -n envoy-gateway-system
kubectl get gateway eg -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
kubectl get httproute app -o jsonpath='{range .status.parents[0].conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
export GW=$(kubectl get gateway eg -o jsonpath='{.status.addresses[0].value}')
curl -i -H 'env: canary' http://$GW/app
sim trace
curl http://$GW/app/list
sim trace
curl -i http://$GW/application
sim trace
sim traffic start --rate 100 http://$GW/app
sleep 20
sim traffic stop all
sim traffic counts
