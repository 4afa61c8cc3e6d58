# kubectl create ingress: Exact paths, Prefix for a trailing *, one rule per host, TLS per
# secret, the default IngressClass filled in by admission; then traffic through it.
kubectl create deployment web --image=nginx:1.25
kubectl expose deployment web --port=80
kubectl create ingress simple --rule="foo.com/bar=web:80"
kubectl create ingress multi --class=nginx --rule="foo.com/*=web:80" --rule="foo.com/admin=web:http,tls=my-cert" --rule="/status=web:80" --annotation=team=a
kubectl get ingress multi -o yaml | head -40
kubectl create ingress catchall --default-backend=web:80
kubectl get ingress
sleep 60
curl -s -o /dev/null -w '%{http_code}\n' -H 'Host: foo.com' http://172.18.255.250/
sim trace | grep "ingress-nginx: "
curl -s -o /dev/null -w '%{http_code}\n' -H 'Host: other.org' http://172.18.255.250/
sim trace | grep "ingress-nginx: "
# Errors, as kubectl words them.
kubectl create ingress none
kubectl create ingress bad --rule="foo.com=web:80"
kubectl create ingress bad --rule="foo.com/x=web"
kubectl create ingress bad --default-backend=web
kubectl create ingress bad --rule="foo.com/x=web:80" --annotation=novalue
