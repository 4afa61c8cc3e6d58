# A pod nobody can take: the scheduler explains why, node by node (FitError).
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: picky
spec:
  nodeSelector:
    disktype: ssd
  containers:
  - name: nginx
    image: nginx:1.25
EOF
kubectl get pods
kubectl describe pod picky | tail -8
kubectl get pod picky -o jsonpath='{.status.conditions}{"\n"}'
# Too big for any node.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
  - name: app
    image: nginx:1.25
    resources:
      requests:
        cpu: "8"
EOF
kubectl describe pod huge | tail -8
# Labelling a node lets the picky pod schedule.
kubectl label node worker-2 disktype=ssd
sleep 5
kubectl get pods -o wide
# Tolerating the control-plane taint and selecting it lands a pod there.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: on-cp
spec:
  nodeSelector:
    node-role.kubernetes.io/control-plane: ""
  tolerations:
  - key: node-role.kubernetes.io/control-plane
    operator: Exists
    effect: NoSchedule
  containers:
  - name: nginx
    image: nginx:1.25
EOF
kubectl get pod on-cp -o wide
