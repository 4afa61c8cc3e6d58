# Readiness probes that fail. nginx serves / but not /healthz: the kubelet's probe gets
# a 404, the new pod stays 0/1 and out of the Service's endpoints, and the rollout
# stalls with the old pods still serving (maxUnavailable rounds down to 0 of 3).
kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80
kubectl expose deployment web --port=80
kubectl rollout status deployment/web
kubectl patch deployment web --type=json -p='[{"op":"add","path":"/spec/template/spec/containers/0/readinessProbe","value":{"httpGet":{"path":"/healthz","port":80},"periodSeconds":5}}]'
sleep 30
kubectl get pods -l app=web
kubectl rollout status deployment/web --timeout=20s
kubectl get rs -l app=web
kubectl get endpoints web
kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{range .items[*].endpoints[*]}{.addresses[0]} ready={.conditions.ready}{"\n"}{end}'
export NEW=$(kubectl get pods -l app=web -o jsonpath='{.items[3].metadata.name}')
kubectl describe pod $NEW | grep -E "Ready|Readiness|Unhealthy"
kubectl get pod $NEW -o jsonpath='{.status.containerStatuses[0].ready} {.status.containerStatuses[0].started}{"\n"}'
# After progressDeadlineSeconds (600 s) without progress the Deployment says so.
sleep 10m
kubectl rollout status deployment/web
kubectl get deployment web -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}{"\n"}{end}'
kubectl get pod $NEW
# Back to the template that works.
kubectl rollout undo deployment/web
kubectl rollout status deployment/web
# A port nothing listens on: connection refused, for tcpSocket and httpGet alike.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: refused
spec:
  containers:
  - name: tcp
    image: nginx:1.27
    readinessProbe:
      tcpSocket:
        port: 8080
  - name: http
    image: redis:7.4
    readinessProbe:
      httpGet:
        port: 8080
EOF
sleep 25
kubectl get pod refused
kubectl describe pod refused | grep -E "Ready|Unhealthy"
# Ready, then not: the file the exec probe reads is removed after 30 s. The pod leaves
# the Ready state after failureThreshold (3) failed probes.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: goes-unready
  labels:
    app: goes-unready
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 3600"]
    readinessProbe:
      exec:
        command: ["cat", "/tmp/healthy"]
      periodSeconds: 5
EOF
kubectl expose pod goes-unready --port=80
sleep 20
kubectl get pod goes-unready
kubectl get endpointslices -l kubernetes.io/service-name=goes-unready -o jsonpath='{.items[0].endpoints[0].conditions}{"\n"}'
sleep 30
kubectl get pod goes-unready
kubectl describe pod goes-unready | grep -E "Ready|Unhealthy"
kubectl get endpointslices -l kubernetes.io/service-name=goes-unready -o jsonpath='{.items[0].endpoints[0].conditions}{"\n"}'
