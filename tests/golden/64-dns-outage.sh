# CoreDNS scaled to zero: kube-dns keeps its virtual IP but has no endpoints, so
# kube-proxy rejects DNS packets and every lookup is refused; bring CoreDNS back and
# names resolve again.
kubectl create deployment web --image=nginx:1.27
kubectl expose deployment web --port=80
kubectl run dns --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 --command -- sleep infinity
kubectl run bb --image=busybox:1.36 --command -- sleep 3600
kubectl wait --for=condition=Ready pod/dns pod/bb
kubectl exec dns -- nslookup web
kubectl scale deployment coredns --replicas=0 -n kube-system
kubectl wait --for=delete pod -l k8s-app=kube-dns --timeout=1m -n kube-system
kubectl get endpointslices -l kubernetes.io/service-name=kube-dns -n kube-system
kubectl exec dns -- nslookup web
kubectl exec dns -- host web
kubectl exec bb -- nslookup web
kubectl scale deployment coredns --replicas=2 -n kube-system
kubectl rollout status deployment coredns -n kube-system
kubectl exec dns -- host web
