# Control-plane faults: without kube-scheduler new pods stay Pending; without
# kube-controller-manager nothing reconciles; without kube-apiserver kubectl is refused
# while the running pods keep serving; without etcd the apiserver times out.
kubectl create deployment web --image=nginx:1.25 --replicas=2
kubectl expose deployment web --port=80 --type=NodePort
sleep 20
sim scheduler down
kubectl scale deployment web --replicas=3
sleep 30
kubectl get pods
kubectl describe pod -l app=web | grep -c FailedScheduling
sim scheduler up
sleep 10
kubectl get pods
sim controller-manager down
kubectl create deployment api --image=nginx:1.25
kubectl delete pod -l app=web --wait=false
sleep 30
kubectl get deployments
kubectl get replicasets
kubectl get pods
sim controller-manager up
sleep 20
kubectl get deployments
kubectl get pods
export NODE_PORT=$(kubectl get service web -o jsonpath='{.spec.ports[0].nodePort}')
sim apiserver down
kubectl get pods
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
EOF
kubectl version
kubectl version --client
kubectl config current-context
sleep 60
curl -s -o /dev/null -w '%{http_code}\n' http://172.18.0.3:$NODE_PORT
sim apiserver down
sim apiserver up
kubectl get pods
sim etcd down
kubectl get pods
kubectl get deployment web
kubectl scale deployment web --replicas=1
sim etcd up
kubectl get deployment web
sim etcd sideways
sim scheduler down now
