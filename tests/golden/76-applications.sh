# What the applications answer, as the real images do: hashicorp/http-echo prints its
# -text, agnhost netexec serves /hostname and /clientip, Apache says "It works!", and a
# database answers a stray HTTP request its own way (redis closes the connection).
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: echo
  labels:
    app: echo
spec:
  containers:
  - name: echo
    image: hashicorp/http-echo:1.0
    args: ["-text=hello from the echo pod"]
---
apiVersion: v1
kind: Pod
metadata:
  name: netexec
  labels:
    app: netexec
spec:
  containers:
  - name: agnhost
    image: registry.k8s.io/e2e-test-images/agnhost:2.52
    args: ["netexec", "--http-port=8080"]
---
apiVersion: v1
kind: Pod
metadata:
  name: apache
  labels:
    app: apache
spec:
  containers:
  - name: httpd
    image: httpd:2.4
---
apiVersion: v1
kind: Pod
metadata:
  name: cache
  labels:
    app: cache
spec:
  containers:
  - name: redis
    image: redis:7
EOF
kubectl expose pod echo --port=80 --target-port=5678 --type=NodePort
kubectl expose pod netexec --port=8080 --type=NodePort
kubectl expose pod apache --port=80 --type=NodePort
kubectl expose pod cache --port=6379 --type=NodePort
sleep 10
kubectl get pods
curl -i http://172.18.0.3:$(kubectl get svc echo -o jsonpath='{.spec.ports[0].nodePort}')/
curl http://172.18.0.3:$(kubectl get svc netexec -o jsonpath='{.spec.ports[0].nodePort}')/hostname; echo
curl http://172.18.0.3:$(kubectl get svc netexec -o jsonpath='{.spec.ports[0].nodePort}')/clientip; echo
curl http://172.18.0.3:$(kubectl get svc apache -o jsonpath='{.spec.ports[0].nodePort}')/
curl http://172.18.0.3:$(kubectl get svc cache -o jsonpath='{.spec.ports[0].nodePort}')/
sim trace
