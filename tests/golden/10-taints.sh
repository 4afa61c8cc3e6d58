# kubectl taint: NoSchedule keeps new pods off a node (FailedScheduling names the
# untolerated taint), a toleration lets a pod on, NoExecute evicts the pods that do not
# tolerate it (at once, or after their tolerationSeconds), and `key-` removes taints.
kubectl taint nodes worker-1 dedicated=gpu:NoSchedule
kubectl taint nodes worker-2 worker-3 dedicated=gpu:NoSchedule
kubectl describe node worker-1 | grep Taints
kubectl run plain --image=nginx:1.25
sleep 5
kubectl get pod plain
kubectl describe pod plain | tail -3
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: gpu-job
spec:
  tolerations:
  - key: dedicated
    operator: Equal
    value: gpu
    effect: NoSchedule
  containers:
  - name: main
    image: nginx:1.25
EOF
sleep 10
kubectl get pods -o wide
# Removing the taint from one node lets the waiting pod schedule there.
kubectl taint nodes worker-1 dedicated=gpu:NoSchedule-
sleep 10
kubectl get pods -o wide
# NoExecute: pods that do not tolerate it are evicted; a bounded toleration delays it.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: patient
spec:
  nodeName: worker-1
  tolerations:
  - key: maintenance
    operator: Exists
    effect: NoExecute
    tolerationSeconds: 60
  containers:
  - name: main
    image: nginx:1.25
EOF
sleep 10
kubectl taint nodes worker-1 maintenance=now:NoExecute
sleep 5
kubectl get pods -o wide
kubectl get events --field-selector reason=TaintManagerEviction
sleep 60
kubectl get pods -o wide
kubectl get events --field-selector involvedObject.name=patient | tail -2
kubectl describe node worker-1 | grep Taints
kubectl taint nodes worker-1 maintenance-
kubectl taint nodes worker-2 dedicated:NoSchedule-
kubectl taint nodes worker-3 dedicated=cpu:NoSchedule --overwrite
kubectl get node worker-3 -o jsonpath='{.spec.taints}{"\n"}'
# Errors, worded as kubectl words them.
kubectl taint nodes worker-3 dedicated=cpu:NoSchedule
kubectl taint nodes worker-1 missing-
kubectl taint nodes worker-1 missing:NoExecute-
kubectl taint nodes worker-1 k=v:Sometimes
kubectl taint nodes worker-1 k=v
kubectl taint nodes worker-1 a=b:NoSchedule a-
kubectl taint nodes worker-1
kubectl taint pods plain k=v:NoSchedule
kubectl taint nodes nowhere k=v:NoSchedule
