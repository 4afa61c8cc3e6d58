# PodDisruptionBudgets: the disruption controller keeps their status, the eviction API
# honours it, and kubectl drain retries a blocked eviction every 5 s.
kubectl create deployment web --image=nginx:1.25 --replicas=6
kubectl apply -f - <<EOF
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 5
  selector:
    matchLabels:
      app: web
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-percent
spec:
  maxUnavailable: 50%
  selector:
    matchLabels:
      app: nothing-yet
EOF
kubectl get pdb
sleep 20
kubectl get pdb
kubectl get pdb web -o jsonpath='{.status}{"\n"}'
kubectl describe pdb web-percent
kubectl get pods -l app=web -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort | uniq -c

# worker-1 holds two web pods; the budget allows one disruption at a time, so the second
# eviction waits until the first pod's replacement is Ready elsewhere.
kubectl drain worker-1 --ignore-daemonsets
kubectl describe pdb web
kubectl get pods -l app=web -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort | uniq -c
kubectl uncordon worker-1

# A budget that allows nothing: drain gives up at its --timeout.
kubectl create deployment solo --image=nginx:1.25
kubectl apply -f - <<EOF
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: solo
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: solo
EOF
sleep 10
kubectl get pdb solo
kubectl drain $(kubectl get pods -l app=solo -o jsonpath='{.items[0].spec.nodeName}') --ignore-daemonsets --timeout=20s
kubectl get pods -l app=solo

# kubectl create pdb; two budgets over the same pods: the eviction API will not choose.
kubectl create pdb incomplete --selector=app=web
kubectl create pdb web-max --selector=app=web --max-unavailable=1
kubectl get pdb
kubectl drain worker-2 --ignore-daemonsets --timeout=30s
kubectl uncordon worker-2
