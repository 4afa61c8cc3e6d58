# The most common Service bug: a selector that matches no pod. The Service exists and
# has a ClusterIP, but no endpoints, so kube-proxy installs a REJECT rule and every
# connection is refused at once. A wrong targetPort is the second most common: the
# endpoint exists, but nothing listens there, so the pod itself resets the connection.
kubectl create deployment web --image=nginx:1.27 --replicas=2
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: web-typo
spec:
  type: NodePort
  selector:
    app: wbe
  ports:
  - port: 80
    nodePort: 30080
---
apiVersion: v1
kind: Service
metadata:
  name: web-wrong-port
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 30081
EOF
kubectl rollout status deployment/web
kubectl get endpoints web-typo web-wrong-port
kubectl describe svc web-typo | grep -E 'Selector|Endpoints'
curl http://172.18.0.3:30080/
sim trace
curl http://172.18.0.3:30081/
sim trace
# Fixing the selector fixes the Service.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: web-typo
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    nodePort: 30080
EOF
kubectl get endpoints web-typo
curl -s -o /dev/null -w '%{http_code}\n' http://172.18.0.3:30080/
