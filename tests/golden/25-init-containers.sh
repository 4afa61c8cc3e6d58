# Init containers run one after another to completion before the app container starts
# (STATUS Init:0/2, Init:1/2, PodInitializing, Running).
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: myapp
spec:
  initContainers:
  - name: init-a
    image: busybox:1.36
    command: ['sh', '-c', 'echo waiting for a; sleep 5']
  - name: init-b
    image: busybox:1.36
    command: ['sh', '-c', 'echo waiting for b; sleep 5']
  containers:
  - name: app
    image: busybox:1.36
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
EOF
kubectl get pod myapp
sleep 3
kubectl get pod myapp
sleep 5
kubectl get pod myapp
sleep 5
kubectl get pod myapp
kubectl logs myapp -c init-a
kubectl logs myapp
# A failing init container is restarted with back-off: Init:CrashLoopBackOff.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: stuck
spec:
  initContainers:
  - name: wait-for-db
    image: busybox:1.36
    command: ['sh', '-c', 'echo db not ready; exit 1']
  containers:
  - name: app
    image: nginx:1.25
EOF
sleep 30
kubectl get pod stuck
kubectl get pod stuck -o jsonpath='{.status.conditions[?(@.type=="Initialized")].message}{"\n"}'
