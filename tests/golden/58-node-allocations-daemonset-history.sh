# describe node: what the pods on a node request and limit, against its allocatable
# (4 CPUs, 8148176Ki), and the scheduler's resource fit agreeing with those sums.
kubectl describe node worker-1 | tail -16
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
spec:
  replicas: 4
  selector:
    matchLabels:
      app: big
  template:
    metadata:
      labels:
        app: big
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        resources:
          requests:
            cpu: "3"
            memory: 1Gi
          limits:
            cpu: 3500m
            memory: 2Gi
      initContainers:
      - name: warm-up
        image: busybox:1.36
        command: ["true"]
        resources:
          requests:
            cpu: 500m
            memory: 3Gi
EOF
kubectl rollout status deployment/big --timeout=30s
kubectl get pods -l app=big -o wide
kubectl describe node worker-1 | tail -16
kubectl get events --field-selector reason=FailedScheduling
kubectl delete deployment big
# DaemonSet history: one ControllerRevision per template, `rollout history` and `undo`.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: busybox:1.36
        command: ["sleep", "infinity"]
EOF
kubectl rollout status ds/agent
kubectl get controllerrevisions
kubectl set image ds/agent agent=busybox:1.37
kubectl annotate ds/agent kubernetes.io/change-cause="set image busybox:1.37"
kubectl rollout status ds/agent
# The revision copies the DaemonSet's annotations when it is written: a change-cause
# set with the change shows in the history, one added afterwards does not.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  annotations:
    kubernetes.io/change-cause: "busybox 1.37 with a heartbeat"
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: busybox:1.37
        command: ["sh", "-c", "while true; do echo alive; sleep 60; done"]
EOF
kubectl rollout status ds/agent
kubectl get controllerrevisions -l app=agent
kubectl rollout history ds/agent
kubectl rollout history ds/agent --revision=1
kubectl get pods -l app=agent -o jsonpath='{range .items[*]}{.metadata.labels.controller-revision-hash} {.spec.containers[0].image}{"\n"}{end}'
kubectl rollout undo ds/agent
kubectl rollout status ds/agent
kubectl rollout history ds/agent
kubectl get controllerrevisions -l app=agent
# Revision 2's template came back as revision 4; there is no revision 2 any more.
kubectl rollout undo ds/agent --to-revision=2
kubectl rollout undo ds/agent --to-revision=4
kubectl rollout undo ds/agent --to-revision=1
kubectl rollout status ds/agent
kubectl rollout history ds/agent
kubectl rollout history ds/agent --revision=9
