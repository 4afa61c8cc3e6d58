# A fresh default cluster, as `kind create cluster` leaves it (design.md §3).
kubectl get nodes
kubectl get nodes -o wide
kubectl get pods -A
kubectl get pods -A -o wide
kubectl get svc -A
kubectl get ns
kubectl get pods
kubectl get deploy,ds -n kube-system
kubectl get sa
kubectl get sc
kubectl version
kubectl cluster-info
