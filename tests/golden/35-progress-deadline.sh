# A rollout that cannot progress: the new pods never become available, so after
# progressDeadlineSeconds the Progressing condition turns False with
# ProgressDeadlineExceeded and `rollout status` fails; the old pods keep serving
# (maxUnavailable 25% of 4 = 1, so one old pod goes) (k8s-behaviour.md §3, §10).
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  progressDeadlineSeconds: 60
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
kubectl rollout status deployment/web
kubectl set image deployment/web web=nginx:1.99-typo
kubectl rollout status deployment/web
kubectl get deploy,rs
kubectl get pods
kubectl get deploy web -o jsonpath='{range .status.conditions[*]}{.type}{" "}{.status}{" "}{.reason}{": "}{.message}{"\n"}{end}'
kubectl rollout undo deployment/web
kubectl rollout status deployment/web
kubectl get deploy web -o jsonpath='{range .status.conditions[*]}{.type}{" "}{.status}{" "}{.reason}{": "}{.message}{"\n"}{end}'
kubectl get rs
