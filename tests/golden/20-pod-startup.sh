# A pod goes Pending → ContainerCreating → Running: the scheduler binds it, the kubelet
# creates the sandbox (1 s), pulls nginx:1.25 (size / 30 MB/s + 0.5 s) and starts it.
kubectl run web --image=nginx:1.25
kubectl get pods -o wide
sleep 1
kubectl get pods -o wide
sleep 3
kubectl get pods -o wide
kubectl describe pod web
kubectl logs web
kubectl logs web --tail 2
kubectl logs web -c nope
kubectl logs nothere
# The second pod on the same node finds the image already present (IfNotPresent).
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: web2
spec:
  nodeName: worker-3
  containers:
  - name: nginx
    image: nginx:1.25
EOF
sleep 2
kubectl describe pod web2 | tail -8
# Graceful deletion: nginx exits promptly on SIGTERM, then the pod is removed.
kubectl delete pod web2
kubectl get pods
sim messages 30
# Deleting a static pod's mirror pod: the kubelet posts it again at once.
kubectl delete pod -n kube-system kube-scheduler-control-plane
kubectl get pods -n kube-system
# CoreDNS pods are replaced by their ReplicaSet and started by the kubelets.
kubectl delete pod -n kube-system -l k8s-app=kube-dns
kubectl get pods -n kube-system -o wide -l k8s-app=kube-dns
sleep 3
kubectl get pods -n kube-system -o wide -l k8s-app=kube-dns
# kubectl logs on a workload picks one of its pods.
kubectl create deployment web --image=nginx:1.25 --replicas=2
sleep 5
kubectl logs deploy/web --tail 1
kubectl logs deployment/nope
