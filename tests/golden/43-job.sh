# A Job with completions 3 and parallelism 2: two pods at a time until three succeed,
# then Complete (SuccessCriteriaMet first). A failing Job hits its backoffLimit.
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      containers:
      - name: hello
        image: busybox:1.36
        command: ["sh", "-c", "echo Hello from the Job"]
      restartPolicy: Never
EOF
kubectl get jobs,pods
sleep 5
kubectl get jobs,pods
sleep 30
kubectl get jobs,pods
kubectl describe job hello | tail -8
kubectl get job hello -o jsonpath='{.status}{"\n"}'
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: fail
spec:
  backoffLimit: 2
  template:
    spec:
      containers:
      - name: fail
        image: busybox:1.36
        command: ["sh", "-c", "exit 1"]
      restartPolicy: Never
EOF
sleep 120
kubectl get job fail
kubectl get pods -l job-name=fail
kubectl describe job fail | tail -8
kubectl get job fail -o jsonpath='{range .status.conditions[*]}{.type}: {.reason}: {.message}{"\n"}{end}'
# Deleting a Job deletes its pods (their job-tracking finalizer is released).
kubectl delete job hello
sleep 2
kubectl get jobs,pods
