# Name-based virtual hosting, a wildcard host and the 404 when nothing matches: one
# address, the Host header picks the server. `*.foo.com` stands for exactly one label.
kubectl create deployment first --image=traefik/whoami
kubectl expose deployment first --port=80
kubectl create deployment second --image=nginx:1.27
kubectl expose deployment second --port=80
kubectl create deployment wild --image=httpd:2.4
kubectl expose deployment wild --port=80
kubectl rollout status deployment/first
kubectl rollout status deployment/second
kubectl rollout status deployment/wild
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: name-virtual-host-ingress
spec:
  ingressClassName: nginx
  rules:
  - host: foo.bar.com
    http:
      paths:
      - pathType: Prefix
        path: "/"
        backend:
          service:
            name: first
            port:
              number: 80
  - host: bar.foo.com
    http:
      paths:
      - pathType: Prefix
        path: "/"
        backend:
          service:
            name: second
            port:
              number: 80
  - host: "*.foo.com"
    http:
      paths:
      - pathType: Prefix
        path: "/"
        backend:
          service:
            name: wild
            port:
              number: 80
EOF
sleep 60
kubectl get ingress
export IP=$(kubectl get ingress name-virtual-host-ingress -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
curl -H 'Host: foo.bar.com' http://$IP/
curl -sI -H 'Host: bar.foo.com' http://$IP/
sim trace
curl -H 'Host: baz.foo.com' http://$IP/
curl -H 'Host: deep.baz.foo.com' http://$IP/
sim trace
curl -H 'Host: foo.com' http://$IP/
curl http://$IP/
kubectl get events --field-selector involvedObject.kind=Ingress
