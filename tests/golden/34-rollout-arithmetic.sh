# Rolling-update arithmetic (k8s-behaviour.md §3 tests 3.2, 3.5–3.7, 3.9, 3.10).
# 3.2: 10 replicas, maxSurge 25% → 3 (rounded up), maxUnavailable 25% → 2 (rounded
# down). The new RS starts at 3, the old one drops to 8, the new one fills up to 5:
# 13 pods at most, at least 8 available.
kubectl create deployment big --image=nginx:1.24 --replicas=10
kubectl rollout status deployment/big
kubectl set image deployment/big nginx=nginx:1.25
kubectl get rs -l app=big
kubectl get rs -l app=big -o jsonpath='{range .items[*]}{.metadata.name}{" max-replicas="}{.metadata.annotations.deployment\.kubernetes\.io/max-replicas}{"\n"}{end}'
kubectl get deploy big
sleep 3
kubectl get rs -l app=big
kubectl rollout status deployment/big
kubectl describe deploy big | grep ScalingReplicaSet
kubectl delete deployment big
# 3.5: replicas 2, maxSurge 0, maxUnavailable 1: an old pod goes before a new one comes.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tight
spec:
  replicas: 2
  strategy:
    rollingUpdate:
      maxSurge: 0
      maxUnavailable: 1
  selector:
    matchLabels:
      app: tight
  template:
    metadata:
      labels:
        app: tight
    spec:
      containers:
      - name: web
        image: nginx:1.24
EOF
kubectl rollout status deployment/tight
kubectl set image deployment/tight web=nginx:1.25
kubectl get rs -l app=tight
kubectl rollout status deployment/tight
kubectl describe deploy tight | grep ScalingReplicaSet
# 3.6: both 0 is rejected; 3.7: 0% / 1% is accepted (both round to 0 → unavailable 1).
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: stuck
spec:
  replicas: 2
  strategy:
    rollingUpdate:
      maxSurge: 0
      maxUnavailable: 0
  selector:
    matchLabels:
      app: stuck
  template:
    metadata:
      labels:
        app: stuck
    spec:
      containers:
      - name: web
        image: nginx:1.24
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tiny
spec:
  replicas: 2
  strategy:
    rollingUpdate:
      maxSurge: 0%
      maxUnavailable: 1%
  selector:
    matchLabels:
      app: tiny
  template:
    metadata:
      labels:
        app: tiny
    spec:
      containers:
      - name: web
        image: nginx:1.24
EOF
kubectl rollout status deployment/tiny
kubectl set image deployment/tiny web=nginx:1.25
kubectl get rs -l app=tiny
kubectl rollout status deployment/tiny
# 3.9: Recreate: every old pod is gone before the first new one is created.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redo
spec:
  replicas: 3
  revisionHistoryLimit: 2
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: redo
  template:
    metadata:
      labels:
        app: redo
    spec:
      containers:
      - name: web
        image: nginx:1.24
EOF
kubectl rollout status deployment/redo
kubectl set image deployment/redo web=nginx:1.25
kubectl get rs -l app=redo
kubectl get pods -l app=redo
sleep 31
kubectl get rs -l app=redo
kubectl get pods -l app=redo
kubectl rollout status deployment/redo
# 3.10: revisionHistoryLimit 2 keeps two old ReplicaSets besides the current one.
kubectl set image deployment/redo web=nginx:1.26
kubectl rollout status deployment/redo
kubectl set image deployment/redo web=nginx:1.27
kubectl rollout status deployment/redo
kubectl get rs -l app=redo -o wide
kubectl rollout history deployment/redo
