# A pod mounting a PersistentVolumeClaim waits for it: the scheduler's VolumeBinding
# filter refuses every node until the claim exists; then the default StorageClass
# (WaitForFirstConsumer) provisions a volume on the chosen node and the pod starts.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: missing
EOF
sleep 20
kubectl get pods
kubectl describe pod p | tail -5
kubectl get pods
kubectl apply -f - <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: missing
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 1Gi
EOF
sleep 10
kubectl get pods,pvc
kubectl get pv -o custom-columns=NAME:.metadata.name,CLAIM:.spec.claimRef.name,CLASS:.spec.storageClassName
