# kubectl apply reports created, then unchanged, then configured (k8s-behaviour.md §10.8).
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:latest
EOF
# The pull policy was defaulted on create; the image update does not change it (§1.6).
kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].imagePullPolicy}{"\n"}'
kubectl get deploy web -o jsonpath='{.metadata.generation}{"\n"}'
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
EOF
kubectl get svc web -o yaml
kubectl create -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
EOF
kubectl delete svc web
kubectl get svc
kubectl apply -f - --dry-run=client <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: demo
EOF
kubectl get cm
