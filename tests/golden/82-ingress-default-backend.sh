# spec.defaultBackend: with rules, it serves the unmatched paths of that Ingress's own
# hosts only (another host gets the controller's 404); an Ingress with no rules at all
# makes it the catch-all for every host. A backend Service that does not exist, or has
# no ready endpoint, is nginx's 503. An Ingress naming a class nobody serves is ignored.
kubectl apply -f - <<EOF
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo:1.0
        args: ["-text=app"]
---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector:
    app: app
  ports:
  - port: 80
    targetPort: 5678
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fallback
spec:
  selector:
    matchLabels:
      app: fallback
  template:
    metadata:
      labels:
        app: fallback
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo:1.0
        args: ["-text=fallback"]
---
apiVersion: v1
kind: Service
metadata:
  name: fallback
spec:
  selector:
    app: fallback
  ports:
  - port: 80
    targetPort: 5678
EOF
kubectl rollout status deployment/app
kubectl rollout status deployment/fallback
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: with-rules
spec:
  defaultBackend:
    service:
      name: fallback
      port:
        number: 80
  rules:
  - host: a.com
    http:
      paths:
      - path: /app
        pathType: Exact
        backend:
          service:
            name: app
            port:
              number: 80
      - path: /missing
        pathType: Prefix
        backend:
          service:
            name: nosuch
            port:
              number: 80
EOF
sleep 60
export IP=$(kubectl get ingress with-rules -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
curl -H 'Host: a.com' http://$IP/app
curl -H 'Host: a.com' http://$IP/app/
sim trace
curl -H 'Host: b.com' http://$IP/app
curl -i -H 'Host: a.com' http://$IP/missing
sim trace
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: catch-all
spec:
  defaultBackend:
    service:
      name: fallback
      port:
        number: 80
EOF
curl -H 'Host: b.com' http://$IP/app
sim trace
kubectl scale deployment app --replicas=0
sleep 5
curl -s -o /dev/null -w '%{http_code}\n' -H 'Host: a.com' http://$IP/app
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: nobodys
spec:
  ingressClassName: traefik
  defaultBackend:
    service:
      name: app
      port:
        number: 80
EOF
sleep 60
kubectl get ingress
kubectl describe ingress nobodys
