# kubectl describe with its Events section (k8s-behaviour.md §10).
kubectl describe node worker-1
kubectl describe deploy coredns -n kube-system
kubectl describe svc kube-dns -n kube-system
kubectl describe pod -n kube-system etcd
kubectl describe ns default
kubectl describe cm kube-root-ca.crt
