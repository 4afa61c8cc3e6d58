# A DaemonSet runs one pod per eligible node: the tainted control plane is skipped until
# the pod template tolerates its taint (k8s-behaviour.md §5).
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
spec:
  selector:
    matchLabels:
      app: node-agent
  template:
    metadata:
      labels:
        app: node-agent
    spec:
      containers:
      - name: agent
        image: busybox:1.36
        command: ["sleep", "infinity"]
EOF
kubectl rollout status daemonset/node-agent
kubectl get ds node-agent
kubectl get pods -o wide
kubectl get pod $(kubectl get pods -o jsonpath='{.items[0].metadata.name}') -o jsonpath='{.spec.affinity}{"\n"}{.spec.tolerations}{"\n"}{.metadata.labels}{"\n"}'
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
spec:
  selector:
    matchLabels:
      app: node-agent
  template:
    metadata:
      labels:
        app: node-agent
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      containers:
      - name: agent
        image: busybox:1.36
        command: ["sleep", "infinity"]
EOF
kubectl rollout status daemonset/node-agent
kubectl get ds node-agent
kubectl get pods -o wide
kubectl describe ds node-agent | tail -12
# A new node gets a pod as soon as it joins; a deleted node's pod is garbage-collected.
sim node add
kubectl get nodes
kubectl get ds node-agent
sleep 10
kubectl get pods -o wide
kubectl delete node worker-2
sleep 60
kubectl get ds node-agent
kubectl get pods -o wide
kubectl get ds -n kube-system
