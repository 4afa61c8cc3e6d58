# CronJob spec.timeZone: the schedule is read on that zone's wall clock. The simulated
# clock starts at 2026-01-01 00:00 UTC, which is 01:00 in Berlin and 19:00 (the day
# before) in New York.
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: berlin-0130
spec:
  schedule: "30 1 * * *"
  timeZone: Europe/Berlin
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.36
            command: ["sh", "-c", "date; echo Hello from Berlin"]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: utc-0130
spec:
  schedule: "30 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.36
            command: ["sh", "-c", "date; echo Hello from UTC"]
EOF
kubectl get cronjobs
sleep 31m
kubectl get cronjobs
kubectl get jobs
sleep 1h
kubectl get jobs
kubectl get cronjob berlin-0130 -o jsonpath='{.spec.timeZone} {.status.lastScheduleTime}{"\n"}'
kubectl delete cronjob berlin-0130 utc-0130
# Invalid zones: the apiserver's validateTimeZone.
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: mars
spec:
  schedule: "0 * * * *"
  timeZone: Mars/Base
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.36
EOF
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: local
spec:
  schedule: "0 * * * *"
  timeZone: Local
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.36
EOF
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: bad-tz
spec:
  schedule: "0 * * * *"
  timeZone: "../etc/passwd"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.36
EOF
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cron-tz
spec:
  schedule: "CRON_TZ=Asia/Tokyo 0 9 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.36
EOF
# Daylight saving time: 09:00 in New York is 14:00 UTC in winter and 13:00 UTC from
# 2026-03-08 on. The clock jumps to the early hours of that Sunday.
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: standup
spec:
  schedule: "0 9 * * *"
  timeZone: America/New_York
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.36
EOF
sleep 1584h
kubectl get cronjob standup -o jsonpath='{.status.lastScheduleTime}{"\n"}'
sleep 24h
kubectl get cronjob standup -o jsonpath='{.status.lastScheduleTime}{"\n"}'
sleep 24h
kubectl get cronjob standup -o jsonpath='{.status.lastScheduleTime}{"\n"}'
kubectl get cronjob standup
