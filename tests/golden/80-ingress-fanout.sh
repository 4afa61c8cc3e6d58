# An Ingress fan-out (the docs' "simple fanout"): one host, /foo and /bar to two
# Services. The default cluster runs ingress-nginx (namespace ingress-nginx, on the
# control-plane node) behind a LoadBalancer Service; its IngressClass `nginx` is the
# default. The controller records `Sync` on every change it sees and its status syncer
# writes the Ingress's address (its Service's load-balancer IP) within 60 s. It proxies
# straight to the pods behind each Service — the hop after the controller is pod → pod.
kubectl get ingressclass
kubectl get pods,svc -n ingress-nginx -o wide
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: foo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: foo
  template:
    metadata:
      labels:
        app: foo
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo:1.0
        args: ["-text=foo"]
---
apiVersion: v1
kind: Service
metadata:
  name: foo
spec:
  selector:
    app: foo
  ports:
  - port: 4200
    targetPort: 5678
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bar
spec:
  replicas: 1
  selector:
    matchLabels:
      app: bar
  template:
    metadata:
      labels:
        app: bar
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo:1.0
        args: ["-text=bar"]
---
apiVersion: v1
kind: Service
metadata:
  name: bar
spec:
  selector:
    app: bar
  ports:
  - port: 8080
    targetPort: 5678
EOF
kubectl rollout status deployment/foo
kubectl rollout status deployment/bar
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: simple-fanout-example
spec:
  rules:
  - host: foo.bar.com
    http:
      paths:
      - path: /foo
        pathType: Prefix
        backend:
          service:
            name: foo
            port:
              number: 4200
      - path: /bar
        pathType: Prefix
        backend:
          service:
            name: bar
            port:
              number: 8080
EOF
kubectl get ingress
sleep 60
kubectl get ingress
export IP=$(kubectl get ingress simple-fanout-example -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
echo $IP
curl -H 'Host: foo.bar.com' http://$IP/foo
sim trace
curl -H 'Host: foo.bar.com' http://$IP/foo/index.html
curl -H 'Host: foo.bar.com' http://$IP/bar
sim trace
# Element by element: /foobar is not under /foo; nothing else matches → the
# controller's 404 (no version: ingress-nginx hides it).
curl -i -H 'Host: foo.bar.com' http://$IP/foobar
sim trace
kubectl describe ingress simple-fanout-example
