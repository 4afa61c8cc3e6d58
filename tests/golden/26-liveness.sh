# The docs' liveness example: the file disappears after 30 s, the exec probe fails three
# times (period 5 s) and the kubelet restarts the container.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
EOF
sleep 30
kubectl get pod liveness-exec
sleep 20
kubectl describe pod liveness-exec | tail -9
kubectl get pod liveness-exec
# A readiness probe on a port nothing listens on: Running but never Ready.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: not-ready
spec:
  containers:
  - name: nginx
    image: nginx:1.25
    readinessProbe:
      httpGet:
        path: /
        port: 8080
EOF
sleep 10
kubectl get pod not-ready
