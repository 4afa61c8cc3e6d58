# The seed's NodePort Service (its indentation fixed): port 8080 on the Service,
# targetPort 80 on the pods, nodePort 30007 on every node — the control plane's too.
# The request arrives at a node, kube-proxy's KUBE-NODEPORTS rule DNATs it to one of the
# pods (probability 1/3, 1/2, then the last rule), masquerading the source.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
spec:
  replicas: 3
  selector:
    matchLabels:
      app: MyApp
  template:
    metadata:
      labels:
        app: MyApp
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  type: NodePort
  selector:
    app: MyApp
  ports:
    - port: 8080
      targetPort: 80
      nodePort: 30007
EOF
kubectl rollout status deployment/my-app
kubectl get svc my-service -o wide
kubectl get endpointslices -l kubernetes.io/service-name=my-service
curl -s -o /dev/null -w '%{http_code} from %{remote_ip}:%{remote_port}\n' http://172.18.0.2:30007/
curl -s -o /dev/null -w '%{http_code} from %{remote_ip}:%{remote_port}\n' http://172.18.0.3:30007/
curl -s -o /dev/null -w '%{http_code} from %{remote_ip}:%{remote_port}\n' http://172.18.0.5:30007/
curl -i http://172.18.0.4:30007/
sim trace
curl -v http://172.18.0.4:30007/missing
# The Service port (8080) is not a NodePort, and the ClusterIP is not reachable from
# the laptop: a virtual address that exists only in kube-proxy's rules.
curl http://172.18.0.4:8080/
curl -sS -m 2 http://$(kubectl get svc my-service -o jsonpath='{.spec.clusterIP}'):8080/
sim trace
