# The seed's ReplicaSet: re-applying it with a new image changes only the template; the
# running pods keep the old image until one is replaced (k8s-behaviour.md §4).
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: nginx-replicaset
spec:
  selector:
    matchLabels:
      app: nginx
  replicas: 5
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: nginx:1.13.2
          ports:
            - containerPort: 80
EOF
sleep 30
kubectl get pods
kubectl get rs -o wide
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: nginx-replicaset
spec:
  selector:
    matchLabels:
      app: nginx
  replicas: 5
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: nginx:1.14.2
          ports:
            - containerPort: 80
EOF
kubectl get rs -o wide
kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image
kubectl describe pod $(kubectl get pods -o jsonpath='{.items[0].metadata.name}') | grep Image:
kubectl delete pod $(kubectl get pods -o jsonpath='{.items[0].metadata.name}')
kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image
sleep 30
kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,STATUS:.status.phase
# Bare pods that match the selector are adopted; the surplus is deleted (§4.4).
kubectl run extra --image=nginx:1.14.2 --labels=app=nginx
kubectl get pods
kubectl scale rs nginx-replicaset --replicas=2
kubectl get pods
sleep 5
kubectl get pods
kubectl describe rs nginx-replicaset | tail -17
