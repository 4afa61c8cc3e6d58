# The seed's rolling restart: 10 replicas, maxSurge 1 / maxUnavailable 0 — never more
# than 11 pods, never fewer than 10 available (k8s-behaviour.md §3). The seed's image
# `hello-seattle:latest` defaults to imagePullPolicy Always, so each new pod pulls it.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 10
  selector:
    matchLabels:
      app: nginx
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: hello-seattle:latest
          ports:
            - containerPort: 8080
EOF
kubectl rollout status deployment/nginx-deployment
kubectl get deploy,rs
kubectl rollout restart deployment nginx-deployment
kubectl get deploy,rs
kubectl get pods --no-headers | grep -v Terminating | wc -l
sleep 2
kubectl get deploy,rs
kubectl get pods --no-headers | grep -v Terminating | wc -l
sleep 2
kubectl get deploy,rs
kubectl get pods
kubectl rollout status deployment/nginx-deployment
kubectl get deploy,rs
kubectl get pods --no-headers | grep -v Terminating | wc -l
sleep 30
kubectl get pods
kubectl rollout history deployment/nginx-deployment
kubectl describe deployment nginx-deployment | tail -29
