# Two Ingresses claim the same host and path: ingress-nginx merges every Ingress of its
# class into one nginx configuration and the oldest one's rule wins; when it goes, the
# other takes over. ImplementationSpecific is ingress-nginx's plain nginx location: a
# string prefix, so /app also catches /application (Prefix would not). Requests are
# spread round-robin over the Service's endpoints.
kubectl apply -f - <<EOF
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: one
spec:
  selector:
    matchLabels:
      app: one
  template:
    metadata:
      labels:
        app: one
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo:1.0
        args: ["-text=one"]
---
apiVersion: v1
kind: Service
metadata:
  name: one
spec:
  selector:
    app: one
  ports:
  - port: 80
    targetPort: 5678
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: two
spec:
  selector:
    matchLabels:
      app: two
  template:
    metadata:
      labels:
        app: two
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo:1.0
        args: ["-text=two"]
---
apiVersion: v1
kind: Service
metadata:
  name: two
spec:
  selector:
    app: two
  ports:
  - port: 80
    targetPort: 5678
EOF
kubectl scale deployment two --replicas=3
kubectl rollout status deployment/one
kubectl rollout status deployment/two
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: first
spec:
  rules:
  - host: c.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: one
            port:
              number: 80
EOF
sleep 1
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: second
spec:
  rules:
  - host: c.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: two
            port:
              number: 80
EOF
export IP=172.18.255.250
curl -H 'Host: c.com' http://$IP/
sim trace
kubectl delete ingress first
curl -H 'Host: c.com' http://$IP/
curl -H 'Host: c.com' http://$IP/
curl -H 'Host: c.com' http://$IP/
sim traffic counts
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: third
spec:
  rules:
  - host: c.com
    http:
      paths:
      - path: /app
        pathType: ImplementationSpecific
        backend:
          service:
            name: one
            port:
              number: 80
EOF
curl -H 'Host: c.com' http://$IP/application
sim trace
curl -H 'Host: C.COM:80' http://$IP/app/x
