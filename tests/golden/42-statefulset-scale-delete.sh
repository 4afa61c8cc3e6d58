# A web StatefulSet behind the headless Service `nginx` (k8s-behaviour §6): pods start in
# order, endpoints carry each pod's hostname, scaling 3 → 1 removes web-2 before web-1,
# and deleting the StatefulSet leaves its PVCs (Retain/Retain).
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: nginx
  serviceName: "nginx"
  replicas: 3
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
EOF
kubectl get pods -l app=nginx
sleep 5
kubectl get pods -l app=nginx
sleep 20
kubectl get statefulset web
kubectl get pods -l app=nginx -o wide
kubectl get endpoints nginx
kubectl get endpointslices -l kubernetes.io/service-name=nginx -o yaml | grep -E 'hostname|ip:|- 10|ready|name: web'
kubectl get sts web -o jsonpath='{.status}{"\n"}'
kubectl get controllerrevisions
kubectl scale statefulset web --replicas=1
kubectl get pods -l app=nginx
sleep 1
kubectl get pods -l app=nginx
sleep 30
kubectl get pods -l app=nginx
kubectl get endpoints nginx
kubectl describe statefulset web | tail -9
kubectl delete statefulset web
sleep 30
kubectl get statefulset,pods
kubectl get pvc
