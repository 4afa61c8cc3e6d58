# rollout status/history/undo for a StatefulSet read its ControllerRevisions (k8s-behaviour.md §6, §10).
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: nginx:1.25
EOF
kubectl rollout status statefulset/db
kubectl rollout undo sts/db
kubectl set image sts/db db=nginx:1.26
kubectl rollout status statefulset/db
kubectl rollout history sts/db
kubectl rollout history sts/db --revision=1
kubectl rollout undo sts/db
kubectl rollout status statefulset/db
kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image
kubectl rollout history ds/kube-proxy -n kube-system
