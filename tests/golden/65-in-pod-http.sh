# HTTP from inside a pod: busybox wget and curl resolve the Service name through
# CoreDNS (search list, ndots:5) and reach a pod through kube-proxy; `sim trace` shows
# the DNS flow's hops, then the HTTP flow's.
kubectl create deployment web --image=nginx:1.27 --replicas=2
kubectl expose deployment web --port=80
kubectl run bb --image=busybox:1.36 --command -- sleep 3600
kubectl run tools --image=nicolaka/netshoot --command -- sleep infinity
kubectl wait --for=condition=Available deployment/web
kubectl wait --for=condition=Ready pod/bb pod/tools
kubectl exec bb -- wget -O- http://web
sim trace
sim trace 1
kubectl exec bb -- wget -qO- http://web.default.svc.cluster.local/nope
kubectl exec bb -- wget -q -O /dev/null http://web:8080 -T 2
kubectl exec bb -- wget http://nope.default
kubectl exec tools -- curl -sI http://web
kubectl exec tools -- curl -s http://web-does-not-exist
kubectl exec bb -- wget -qO- gopher://web
