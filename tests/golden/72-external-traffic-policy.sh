# externalTrafficPolicy: Local keeps the client's address but only nodes with a local
# endpoint answer: a request to another node is dropped (curl times out). Cluster (the
# default) answers on every node and masquerades the source to the node's address.
kubectl create deployment who --image=traefik/whoami --replicas=1
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: who-local
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector:
    app: who
  ports:
  - port: 80
EOF
kubectl expose deployment who --port=80 --type=NodePort --name=who-cluster
kubectl rollout status deployment/who
kubectl get pods -o wide
export LOCAL=$(kubectl get svc who-local -o jsonpath='{.spec.ports[0].nodePort}')
export CLUSTER=$(kubectl get svc who-cluster -o jsonpath='{.spec.ports[0].nodePort}')
export POD_NODE_IP=$(kubectl get pods -l app=who -o jsonpath='{.items[0].status.hostIP}')
echo $POD_NODE_IP
curl -s http://$POD_NODE_IP:$LOCAL/ | grep RemoteAddr
curl -sS -m 3 http://172.18.0.5:$LOCAL/
sim trace
curl -s http://172.18.0.5:$CLUSTER/ | grep RemoteAddr
sim time
