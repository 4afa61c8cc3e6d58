# Startup probes hold liveness and readiness back until the container has started: a
# slow starter writes /tmp/started after 45 s; failureThreshold × periodSeconds (30 ×
# 10 s) gives it up to 300 s.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: slow-start
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 45; touch /tmp/started; sleep 3600"]
    startupProbe:
      exec:
        command: ["cat", "/tmp/started"]
      failureThreshold: 30
      periodSeconds: 10
    livenessProbe:
      exec:
        command: ["cat", "/tmp/started"]
      failureThreshold: 1
      periodSeconds: 10
EOF
sleep 30
kubectl get pod slow-start
kubectl get pod slow-start -o jsonpath='started={.status.containerStatuses[0].started} ready={.status.containerStatuses[0].ready}{"\n"}'
sleep 30
kubectl get pod slow-start -o jsonpath='started={.status.containerStatuses[0].started} ready={.status.containerStatuses[0].ready}{"\n"}'
kubectl get pod slow-start
kubectl describe pod slow-start | grep -E "Startup|Liveness|Unhealthy|Killing"
# A startup probe that never passes: killed after failureThreshold (3) × 5 s, restarted,
# and back-off between the attempts.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: never-starts
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    startupProbe:
      httpGet:
        path: /healthz
        port: 80
      failureThreshold: 3
      periodSeconds: 5
EOF
sleep 12
kubectl get pod never-starts
sleep 5
kubectl describe pod never-starts | grep -E "State|Reason|Exit Code|Restart Count|Unhealthy|Killing"
sleep 60
kubectl get pod never-starts
# Liveness on a path the image does not serve: restarted every third failure.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: liveness-http
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    livenessProbe:
      httpGet:
        path: /healthz
        port: 80
      initialDelaySeconds: 3
      periodSeconds: 3
EOF
sleep 15
kubectl describe pod liveness-http | grep -E "Last State|Reason|Exit Code|Restart Count|Liveness|Unhealthy|Killing"
kubectl delete pod slow-start never-starts liveness-http --now
# https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
kubectl create namespace mem-example
kubectl apply --namespace=mem-example -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo
  namespace: mem-example
spec:
  containers:
  - name: memory-demo-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "100Mi"
      limits:
        memory: "200Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
EOF
sleep 10
kubectl get pod memory-demo --namespace=mem-example -o jsonpath='{.spec.containers[0].resources}{"\n"}'
kubectl get pod memory-demo --namespace=mem-example
kubectl logs memory-demo --namespace=mem-example
kubectl delete pod memory-demo --namespace=mem-example
# Exceed a container's memory limit.
kubectl apply --namespace=mem-example -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-2
  namespace: mem-example
spec:
  containers:
  - name: memory-demo-2-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "50Mi"
      limits:
        memory: "100Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
EOF
sleep 3
kubectl get pod memory-demo-2 --namespace=mem-example
kubectl get pod memory-demo-2 --namespace=mem-example -o jsonpath='{.status.containerStatuses[0].lastState}{"\n"}'
sleep 20
kubectl get pod memory-demo-2 --namespace=mem-example
kubectl describe pod memory-demo-2 --namespace=mem-example | grep -E "State|Reason|Exit Code|Restart Count|BackOff"
kubectl delete pod memory-demo-2 --namespace=mem-example
# Specify a memory request that is too big for your Nodes.
kubectl apply --namespace=mem-example -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-3
  namespace: mem-example
spec:
  containers:
  - name: memory-demo-3-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "1000Gi"
      limits:
        memory: "1000Gi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
EOF
kubectl get pod memory-demo-3 --namespace=mem-example
kubectl describe pod memory-demo-3 --namespace=mem-example | grep FailedScheduling
kubectl delete namespace mem-example
