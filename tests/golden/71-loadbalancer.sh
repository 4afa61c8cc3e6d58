# A LoadBalancer Service: `<pending>` while the cloud-controller-manager builds the
# balancer (EnsuringLoadBalancer, the cleanup finalizer), then an address from the
# cloud's pool 172.18.255.200–250 (EnsuredLoadBalancer). curl reaches the balancer,
# which forwards to a node's NodePort; deleting the Service frees the address.
kubectl create deployment web --image=nginx:1.27 --replicas=2
kubectl expose deployment web --port=80 --type=LoadBalancer
kubectl get svc web
kubectl get svc web -o jsonpath='{.metadata.finalizers}{"\n"}'
sleep 5
kubectl get svc web
kubectl get svc web -o jsonpath='{.status.loadBalancer}{"\n"}'
kubectl describe svc web
curl -s http://$(kubectl get svc web -o jsonpath='{.status.loadBalancer.ingress[0].ip}')/ | grep title
sim trace
# A second balancer gets the next address; the first one's address is freed on delete
# and handed out again.
kubectl create deployment api --image=traefik/whoami --replicas=1
kubectl expose deployment api --port=80 --type=LoadBalancer
sleep 5
kubectl get svc
kubectl delete svc web
kubectl get events --field-selector involvedObject.name=web,involvedObject.kind=Service
kubectl expose deployment web --port=80 --type=LoadBalancer --name=web2
sleep 5
kubectl get svc web2
curl -sS -m 2 http://172.18.255.200/ | grep -c nginx
