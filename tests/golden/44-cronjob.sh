# A CronJob every minute: a Job `hello-<scheduled minute since the Unix epoch>` at each
# minute boundary of the virtual clock; finished Jobs beyond successfulJobsHistoryLimit
# (default 3) are deleted.
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
            imagePullPolicy: IfNotPresent
            command:
            - /bin/sh
            - -c
            - date; echo Hello from the Kubernetes cluster
          restartPolicy: OnFailure
EOF
kubectl get cronjob hello
sleep 60
kubectl get cronjob hello
kubectl get jobs
sleep 30
kubectl get jobs
kubectl get cronjob hello
sleep 240
kubectl get jobs
kubectl describe cronjob hello | tail -14
kubectl get cronjob hello -o jsonpath='{.status}{"\n"}'
