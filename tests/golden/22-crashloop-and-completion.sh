# A container that exits at once restarts immediately, then after 10 s, 20 s, 40 s …
# (CrashLoopBackOff); RESTARTS shows the count and when the last one exited.
kubectl run crash --image=busybox:1.36 -- false
sleep 5
kubectl get pods crash
sleep 60
kubectl get pods crash
kubectl get pod crash -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}{.status.containerStatuses[0].lastState}{"\n"}'
kubectl describe pod crash | tail -8
# restartPolicy Never: the pod completes; its output stays readable.
kubectl run hello --image=busybox:1.36 --restart=Never -- sh -c 'echo hello from the pod; echo bye'
sleep 1
kubectl get pods hello
sleep 4
kubectl get pods hello
kubectl logs hello
# A failing one-shot pod: phase Failed, STATUS Error.
kubectl run oops --image=busybox:1.36 --restart=Never -- sh -c 'echo about to fail; exit 3'
sleep 5
kubectl get pods oops
kubectl get pod oops -o jsonpath='{.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}{"\n"}'
kubectl logs oops
# sleep ignores SIGTERM: deleting takes the whole grace period.
kubectl run sleeper --image=busybox:1.36 -- sleep 3600
sleep 5
kubectl delete pod sleeper --wait=false
sleep 10
kubectl get pods sleeper
sleep 25
kubectl get pods sleeper
# A missing Secret behind env: CreateContainerConfigError until it appears.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: needs-secret
spec:
  containers:
  - name: app
    image: nginx:1.25
    env:
    - name: PASSWORD
      valueFrom:
        secretKeyRef:
          name: db
          key: password
EOF
sleep 5
kubectl get pods needs-secret
kubectl describe pod needs-secret | tail -8
kubectl create secret generic db --from-literal=password=s3cret
sleep 1
kubectl get pods needs-secret
