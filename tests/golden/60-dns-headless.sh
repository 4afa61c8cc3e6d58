# The seed's headless-service example: a traefik/whoami Deployment with 3 replicas
# behind a ClusterIP Service `example` and a headless Service `example-headless`.
# From a client pod, `host example` answers with the one virtual IP, `host
# example-headless` with every ready pod IP (CoreDNS, per the DNS specification).
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: example
  name: example
spec:
  replicas: 3
  selector:
    matchLabels:
      app: example
  template:
    metadata:
      labels:
        app: example
    spec:
      containers:
      - image: docker.io/traefik/whoami:latest
        name: whoami
        ports:
        - containerPort: 80
          name: http
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: example
  name: example
spec:
  ports:
  - name: http
    port: 80
    targetPort: http
  selector:
    app: example
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: example
  name: example-headless
spec:
  clusterIP: None
  ports:
  - name: http
    port: 80
    targetPort: http
  selector:
    app: example
EOF
kubectl run client --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 --command -- sleep infinity
kubectl run bb --image=busybox:1.36 --command -- sleep 3600
kubectl wait --for=condition=Ready pod/client pod/bb --timeout=2m
kubectl wait --for=condition=Available deployment/example
kubectl get svc example example-headless
kubectl get pods -l app=example -o wide
kubectl exec client -- host example
kubectl exec client -- host example-headless
kubectl exec client -- nslookup example
kubectl exec client -- nslookup nope
kubectl exec bb -- nslookup example
kubectl exec bb -- nslookup example-headless.default.svc.cluster.local
kubectl exec bb -- cat /etc/resolv.conf
kubectl exec bb -- hostname
sim trace
