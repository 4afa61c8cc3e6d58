# TLS at the edge, ingress-nginx and Envoy Gateway side by side. `kubectl create secret
# tls` reads its --cert/--key files (here certs/ next to this script: a self-signed pair
# made with `openssl req -x509 … -subj /CN=shop.example.com`). ingress-nginx redirects
# plain HTTP for a TLS host with a 308 (`ssl-redirect`), terminates TLS with the Secret's
# certificate — or, when the Secret is missing, with its self-signed "Kubernetes Ingress
# Controller Fake Certificate", redirect included — and adds HSTS. The laptop's curl trusts
# neither certificate: without -k it stops at the handshake with error 60; with -k it
# speaks HTTP/2. An HTTPS listener of a Gateway whose certificateRef names no Secret is
# not programmed (ResolvedRefs False, InvalidCertificateRef): nothing listens on its port.
kubectl create secret tls shop-tls --cert=certs/missing.crt --key=certs/shop.key
kubectl create secret tls shop-tls --cert=certs/shop.key --key=certs/shop.key
kubectl create secret tls shop-tls --key=certs/shop.key
kubectl create secret tls shop-tls --cert=certs/shop.crt --key=certs/shop.key
kubectl get secret shop-tls
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo:1.0
        args: ["-text=shop"]
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
  - port: 80
    targetPort: 5678
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  tls:
  - hosts:
    - shop.example.com
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: shop
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: blog
spec:
  tls:
  - hosts:
    - blog.example.com
    secretName: blog-tls
  rules:
  - host: blog.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: shop
            port:
              number: 80
EOF
sleep 60
kubectl get ingress
export IP=$(kubectl get ingress shop -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
# Plain HTTP to a TLS host: 308 to https, the trailing slash dropped.
curl -i http://$IP/cart/ -H 'Host: shop.example.com'
curl -i http://$IP/ -H 'Host: blog.example.com'
# The laptop does not trust a self-signed certificate…
curl https://shop.example.com/ --resolve shop.example.com:443:$IP
sim trace
# …with -k it goes on, over HTTP/2.
curl -k -i https://shop.example.com/ --resolve shop.example.com:443:$IP
sim trace
# blog-tls does not exist: the fake certificate, and still HSTS.
curl -sk -i https://blog.example.com/ --resolve blog.example.com:443:$IP
sim trace
# No SNI (an address in the URL): the default certificate, routed by Host all the same.
curl -sk https://$IP/ -H 'Host: shop.example.com'
sim trace
# TLS to the plain-HTTP port.
curl -s -S https://$IP:80/
kubectl apply -f - <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: eg
spec:
  gatewayClassName: eg
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    tls:
      mode: Terminate
      certificateRefs:
      - name: shop-tls
  - name: broken
    protocol: HTTPS
    port: 8443
    tls:
      certificateRefs:
      - name: no-such-secret
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
spec:
  parentRefs:
  - name: eg
  hostnames:
  - shop.example.com
  rules:
  - backendRefs:
    - name: shop
      port: 80
EOF
sleep 20
kubectl get gateway eg
kubectl get gateway eg -o jsonpath='{range .status.listeners[*]}{.name}:{range .conditions[*]} {.type}={.status}/{.reason}{end}{"\n"}{end}'
kubectl get gateway eg -o jsonpath='{.status.listeners[1].conditions[0].message}{"\n"}'
export GW=$(kubectl get gateway eg -o jsonpath='{.status.addresses[0].value}')
curl -s -S https://shop.example.com/ --resolve shop.example.com:443:$GW
curl -k -i https://shop.example.com/ --resolve shop.example.com:443:$GW
sim trace
curl -sk https://shop.example.com:8443/ --resolve shop.example.com:8443:$GW
sim trace
# Once the Secret exists, the listener is programmed.
kubectl create secret tls no-such-secret --cert=certs/shop.crt --key=certs/shop.key
sleep 5
kubectl get gateway eg -o jsonpath='{range .status.listeners[*]}{.name}:{range .conditions[*]} {.type}={.status}/{.reason}{end}{"\n"}{end}'
curl -sk https://shop.example.com:8443/ --resolve shop.example.com:8443:$GW
