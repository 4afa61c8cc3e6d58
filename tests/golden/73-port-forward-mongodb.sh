# The seed's `kubectl port-forward svc/mongodb 8080:27017`: kubectl picks one pod behind
# the Service and tunnels a laptop port to it through the apiserver and the kubelet —
# no kube-proxy. mongod answers an HTTP request on its driver port with its own message.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: mongodb
spec:
  type: LoadBalancer
  selector:
    app: mongodb
  ports:
    - port: 27017
      targetPort: 27017
---
apiVersion: v1
kind: Secret
metadata:
  name: mongo-password
type: opaque
stringData:
  MONGO_INITDB_ROOT_PASSWORD: secret
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: mongodb
spec:
  selector:
    matchLabels:
      app: mongodb
  serviceName: mongodb
  replicas: 3
  template:
    metadata:
      labels:
        app: mongodb
    spec:
      containers:
        - name: mongodb
          image: mongo:latest
          ports:
            - name: mongodb
              containerPort: 27017
          volumeMounts:
            - name: data
              mountPath: /data/db
          env:
            - name: MONGO_INITDB_ROOT_USERNAME
              value: admin
            - name: MONGO_INITDB_ROOT_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: mongo-password
                  key: MONGO_INITDB_ROOT_PASSWORD
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 1Gi
EOF
# Only mongodb-0 exists yet, and it is still starting.
kubectl port-forward pod/mongodb-0 8080:27017
kubectl port-forward pod/nope 8080:27017
kubectl rollout status statefulset/mongodb
kubectl port-forward svc/mongodb 8080:27017
curl http://localhost:8080/
sim trace
kubectl port-forward svc/mongodb 8080:27017
kubectl port-forward svc/mongodb 9090:8080
kubectl port-forward pod/mongodb-1 8081:mongodb
sim forwards
curl -sS http://localhost:8081/
# The tunnel ends with its pod.
kubectl delete pod mongodb-0
curl -sS http://localhost:8080/
sim forwards stop all
