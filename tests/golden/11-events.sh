# kubectl events: oldest first, columns LAST SEEN TYPE REASON OBJECT MESSAGE; --for,
# --types, -A and -w.
kubectl events
kubectl create deployment web --image=nginx:1.25 --replicas=2
kubectl run broken --image=nginx:9.99
sleep 40
kubectl events
kubectl events --types Warning
kubectl events --for pod/broken
kubectl events --for deployment/web
kubectl events -A --types=Warning
kubectl events -n kube-system
kubectl scale deployment web --replicas=3
kubectl events -w --for deployment/web
# Errors, as kubectl words them.
kubectl events --types Error
kubectl events --for web
kubectl events --for nosuch/web
