# kubectl wait in virtual time: conditions, deletion, jsonpath, and timeouts.
kubectl create deployment web --image=nginx:1.27 --replicas=2
kubectl wait --for=condition=Available deployment/web --timeout=1m
kubectl run bb --image=busybox:1.36 --command -- sleep 3600
kubectl wait --for=condition=Ready pod -l run=bb
kubectl wait --for=jsonpath='{.status.phase}'=Running pod/bb
kubectl run broken --image=nginx:1.99
kubectl wait --for=condition=Ready pod/broken --timeout=20s
kubectl wait --for=condition=Ready pod/broken --timeout=0
kubectl wait --for=condition=Ready=false pod/broken
kubectl wait --for=condition=Ready pod/broken --timeout=-1s
kubectl wait --for=condition=Ready pod/nope
kubectl wait --for=condition=Ready pod -l app=nope
kubectl wait --for=ready pod/bb
kubectl wait --for=condition=Ready pod/bb --timeout=60
kubectl delete pod bb --wait=false
kubectl wait --for=delete pod/bb --timeout=60s
kubectl wait --for=delete pod/bb
sim time
