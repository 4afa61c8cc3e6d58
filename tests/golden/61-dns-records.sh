# DNS records from the specification, asked with dig and host from a netshoot pod:
# StatefulSet pods by name through their governing headless Service, SRV for named
# ports (none for unnamed ones), ExternalName as a CNAME, the dns-version TXT record,
# NXDOMAIN for a headless Service with no ready pod, and the not-ready pod IPs once
# publishNotReadyAddresses is set.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - name: web
    port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
          name: web
---
apiVersion: v1
kind: Service
metadata:
  name: plain
spec:
  selector:
    app: nginx
  ports:
  - port: 8080
    targetPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: docs
spec:
  type: ExternalName
  externalName: www.example.com
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: slow
spec:
  replicas: 2
  selector:
    matchLabels:
      app: slow
  template:
    metadata:
      labels:
        app: slow
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          tcpSocket:
            port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: slow
spec:
  clusterIP: None
  selector:
    app: slow
  ports:
  - port: 80
EOF
kubectl run dns --image=nicolaka/netshoot --command -- sleep infinity
kubectl wait --for=jsonpath='{.status.readyReplicas}'=2 statefulset/web --timeout=3m
kubectl wait --for=condition=Ready pod/dns
kubectl exec dns -- host web-0.nginx
kubectl exec dns -- dig web-1.nginx.default.svc.cluster.local
kubectl exec dns -- dig +short SRV _web._tcp.nginx.default.svc.cluster.local
kubectl exec dns -- dig SRV _http._tcp.plain.default.svc.cluster.local
kubectl exec dns -- host -t SRV _web._tcp.nginx
kubectl exec dns -- host docs
kubectl exec dns -- dig +noall +answer docs.default.svc.cluster.local
kubectl exec dns -- host -t TXT dns-version.cluster.local
kubectl exec dns -- dig +short -t txt dns-version.cluster.local
kubectl exec dns -- host slow
kubectl get endpointslices -l kubernetes.io/service-name=slow
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: slow
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    app: slow
  ports:
  - port: 80
EOF
sleep 2
kubectl exec dns -- host slow
kubectl exec dns -- host 10.96.0.1
kubectl exec dns -- dig example
