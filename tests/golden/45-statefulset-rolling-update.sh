# A partitioned rolling update (k8s-behaviour §6): with partition 2 only web-2 (the
# highest ordinal) gets the new template; lowering the partition to 0 updates web-1,
# then web-0, one at a time, each after the previous is Ready. A Parallel StatefulSet
# starts all pods at once.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  serviceName: web
  replicas: 3
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      partition: 0
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
EOF
kubectl rollout status statefulset web --timeout=1s
sleep 30
kubectl rollout status statefulset web
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  serviceName: web
  replicas: 3
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      partition: 2
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
EOF
kubectl get pods -L controller-revision-hash
sleep 30
kubectl rollout status statefulset web
kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,REV:.metadata.labels.controller-revision-hash
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  serviceName: web
  replicas: 3
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      partition: 0
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
EOF
kubectl get pods
sleep 5
kubectl get pods
sleep 30
kubectl rollout status statefulset web
kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,REV:.metadata.labels.controller-revision-hash
kubectl get sts web -o jsonpath='{.status}{"\n"}'
kubectl get controllerrevisions
kubectl describe sts web | tail -8
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: par
spec:
  podManagementPolicy: Parallel
  selector:
    matchLabels:
      app: par
  serviceName: par
  replicas: 3
  template:
    metadata:
      labels:
        app: par
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
EOF
kubectl get pods -l app=par
