# The seed's MongoDB StatefulSet behind a Service that selects only mongodb-0: pods
# come up one at a time (OrderedReady), each with its own PVC provisioned by kind's
# local-path provisioner once the pod is scheduled (WaitForFirstConsumer).
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: mongodb
spec:
  type: LoadBalancer
  selector:
    statefulset.kubernetes.io/pod-name: mongodb-0
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
kubectl get statefulset,pods,pvc
sleep 10
kubectl get pods -o wide
sleep 60
kubectl get statefulset mongodb
kubectl get pods -o wide
kubectl get pvc
kubectl get pv
kubectl get endpoints mongodb
kubectl get endpointslices -l kubernetes.io/service-name=mongodb
kubectl describe pvc data-mongodb-1
kubectl describe statefulset mongodb | tail -12
kubectl get pod mongodb-1 -o jsonpath='{.metadata.labels}{"\n"}{.spec.hostname}.{.spec.subdomain}{"\n"}{.spec.volumes[0]}{"\n"}'
