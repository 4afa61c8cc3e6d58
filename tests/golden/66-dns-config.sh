# A pod's dnsConfig: ndots lowered to 1, so a name with a dot is asked as is first
# instead of through the whole search list; and dnsPolicy None pointing at a server
# the cluster cannot reach.
kubectl create deployment web --image=nginx:1.27
kubectl expose deployment web --port=80
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: tuned
spec:
  dnsConfig:
    options:
    - name: ndots
      value: "1"
    - name: edns0
  containers:
  - name: tools
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]
---
apiVersion: v1
kind: Pod
metadata:
  name: outside
spec:
  dnsPolicy: None
  dnsConfig:
    nameservers: ["8.8.8.8"]
  containers:
  - name: tools
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]
EOF
kubectl wait --for=condition=Ready pod/tuned pod/outside
kubectl exec tuned -- cat /etc/resolv.conf
kubectl exec tuned -- host web.default
sim trace
kubectl exec tuned -- host web
kubectl exec outside -- cat /etc/resolv.conf
kubectl exec outside -- host web
kubectl exec outside -- curl -s http://web
