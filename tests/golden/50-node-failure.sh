# A node failure (k8s-behaviour.md §11): the kubelet on worker-1 stops; after the 50 s
# node-monitor-grace-period the node is NotReady and tainted unreachable; 300 s later its
# Deployment pods are evicted and replaced elsewhere, DaemonSet pods stay.
kubectl create deployment web --image=nginx:1.25 --replicas=4
sleep 30
kubectl get pods -o wide
sim node down worker-1
sleep 49
kubectl get nodes
sleep 2
kubectl get nodes
kubectl get node worker-1 -o jsonpath='{range .spec.taints[*]}{.key}:{.effect}{"\n"}{end}'
kubectl get node worker-1 -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
sleep 299
kubectl get pods -o wide
sleep 2
kubectl get pods -o wide
kubectl get pods -n kube-system -o wide --field-selector spec.nodeName=worker-1
sim node up worker-1
sleep 5
kubectl get nodes
kubectl get pods -o wide

# Cordon, drain and uncordon, then a node joins and leaves.
kubectl cordon worker-2
kubectl get nodes
kubectl drain worker-2
kubectl drain worker-2 --ignore-daemonsets
kubectl get pods -o wide
kubectl uncordon worker-2
sim node add
kubectl get nodes -o wide
kubectl delete node worker-4
kubectl get nodes
