# The story the page animates, as `sim messages` prints it: kubectl's create, the write
# to etcd, the watch events that wake the deployment and replicaset controllers and the
# scheduler, the scheduler's bind with its reason, and the kubelet taking the pod.
kubectl create deployment web --image=nginx:1.27 --replicas=2
sim messages 60
