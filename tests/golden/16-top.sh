# kubectl top and metrics-server: nothing to show before the first scrape (metrics-server
# scrapes every 15 s from its start and needs two points of a series), then the nodes'
# and pods' usage in kubectl's columns; a new pod appears one scrape after it starts;
# numbers follow the image (a stress image uses what its arguments ask for); without a
# ready metrics-server the Metrics API is not available.
kubectl get apiservices
kubectl top nodes
kubectl top pods
kubectl top pods -n kube-system
kubectl top pod coredns -n kube-system
sleep 15
kubectl top nodes
kubectl top node worker-1 --no-headers
kubectl top node nope
kubectl top pods -A --sort-by=cpu
kubectl top pods -n kube-system -l k8s-app=kube-dns --containers
kubectl top pods -n kube-system --sort-by=memory --sum
kubectl top pods --sort-by=disk
kubectl run memory-demo --image=polinux/stress --restart=Never -- stress --vm 1 --vm-bytes 150M --vm-hang 1
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: cpu-demo
spec:
  containers:
  - name: cpu-demo-ctr
    image: vish/stress
    resources:
      limits:
        cpu: "1"
      requests:
        cpu: "0.5"
    args:
    - -cpus
    - "2"
EOF
kubectl top pods
kubectl top pod memory-demo
sleep 20
kubectl top pods
kubectl top pod cpu-demo --containers
kubectl top nodes --sort-by=memory
sim node down worker-3
sleep 60
kubectl top nodes
kubectl scale deployment metrics-server -n kube-system --replicas=0
sleep 5
kubectl get apiservices
kubectl top pods
