# PriorityClasses and preemption. Every cluster has the two system classes.
kubectl get priorityclasses
kubectl get priorityclass system-node-critical -o wide
kubectl get pods -n kube-system -l component=kube-apiserver -o jsonpath='{.items[0].spec.priorityClassName} {.items[0].spec.priority}{"\n"}'

kubectl create priorityclass batch-low --value=100 --description="Batch work that may be preempted."
kubectl create priorityclass bad --value=high
kubectl apply -f - <<EOF
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: critical-high
value: 1000000
description: "Customer-facing services."
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high-nonpreempting
value: 1000000
preemptionPolicy: Never
description: "High priority, but never preempts."
EOF
kubectl get priorityclass -o wide

# The Priority admission plugin resolves the class to spec.priority, or refuses.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  priorityClassName: critical-hgih
  containers:
  - name: nginx
    image: nginx:1.25
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: sure
spec:
  priorityClassName: batch-low
  priority: 5
  containers:
  - name: nginx
    image: nginx:1.25
EOF
kubectl get pods

# Fill every worker with low-priority pods of 3 CPUs each (a node has 4).
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch
spec:
  replicas: 3
  selector:
    matchLabels:
      app: batch
  template:
    metadata:
      labels:
        app: batch
    spec:
      priorityClassName: batch-low
      containers:
      - name: worker
        image: busybox:1.36
        command: ["sleep", "infinity"]
        resources:
          requests:
            cpu: "3"
EOF
sleep 20
kubectl get pods -o wide
kubectl get pods -l app=batch -o jsonpath='{.items[0].spec.priority}{"\n"}'

# A high-priority pod that fits nowhere preempts one batch pod and is nominated to its node.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: checkout
spec:
  priorityClassName: critical-high
  containers:
  - name: app
    image: nginx:1.25
    resources:
      requests:
        cpu: "3"
EOF
kubectl get pods -o wide
kubectl get events --field-selector reason=Preempted
kubectl get pod checkout -o jsonpath='{.metadata.uid} {.status.nominatedNodeName}{"\n"}'
kubectl describe pod checkout | tail -4
# The victim terminates (30 s grace); then the preemptor is bound to the nominated node
# and the batch pod's replacement has nowhere to go: nothing of lower priority is left.
sleep 35
kubectl get pods -o wide
kubectl describe $(kubectl get pods -l app=batch --field-selector=status.phase=Pending -o name) | tail -1

# preemptionPolicy: Never waits in line instead of preempting.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: patient
spec:
  priorityClassName: high-nonpreempting
  containers:
  - name: nginx
    image: nginx:1.25
    resources:
      requests:
        cpu: "3"
EOF
kubectl get pod patient -o jsonpath='{.spec.priority} {.spec.preemptionPolicy}{"\n"}'
kubectl describe pod patient | tail -1
