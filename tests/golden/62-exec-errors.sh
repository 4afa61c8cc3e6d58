# kubectl exec runs only what the image holds, and says so as kubectl, the kubelet
# and containerd do when it cannot; nothing in the cluster changes.
kubectl run bb --image=busybox:1.36 --command -- sleep 3600
kubectl run web --image=nginx:1.27
kubectl run whoami --image=traefik/whoami
kubectl run done --image=busybox:1.36 --restart=Never -- true
kubectl wait --for=condition=Ready pod/bb pod/web pod/whoami
kubectl wait --for=jsonpath='{.status.phase}'=Succeeded pod/done
kubectl exec bb -- dig example
kubectl exec bb -- curl http://example
kubectl exec whoami -- sh
kubectl exec whoami -- /bin/sh -c 'echo hi'
kubectl exec web -- nslookup kubernetes
kubectl exec web -- cat /etc/hostname /nope
kubectl exec nope -- hostname
kubectl exec bb -c nope -- hostname
kubectl exec done -- hostname
kubectl exec bb hostname
kubectl exec bb
kubectl exec -- hostname
kubectl exec -it bb -- sh
kubectl exec bb -- sh -c 'hostname && false'
kubectl exec bb -- nslookup
kubectl exec bb -- nslookup -type=bogus x
kubectl exec bb -- nslookup kubernetes.default
kubectl exec bb -- wget -qO- http://nope
kubectl exec deploy/nope -- hostname
kubectl exec bb -- env | grep KUBERNETES_SERVICE
kubectl get pods
# The Kubernetes docs' busybox:1.28 has the older nslookup: it uses the search list.
kubectl run old --image=busybox:1.28 --command -- sleep 3600
kubectl wait --for=condition=Ready pod/old
kubectl exec old -- nslookup kubernetes.default
kubectl exec old -- nslookup nope
# Two containers: without -c kubectl picks the first and says so.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: pair
spec:
  containers:
  - name: app
    image: nginx:1.27
  - name: sidecar
    image: busybox:1.36
    command: ["sleep", "3600"]
EOF
kubectl wait --for=condition=Ready pod/pair
kubectl exec pair -- hostname
kubectl exec pair -c sidecar -- nslookup kubernetes.default.svc.cluster.local
kubectl exec -q pair -- cat /etc/hosts
# Malformed names and URLs: each tool's own words, nothing sent.
kubectl run dns --image=nicolaka/netshoot --command -- sleep infinity
kubectl wait --for=condition=Ready pod/dns
kubectl exec dns -- host web..default
kubectl exec dns -- dig aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.local
kubectl exec dns -- nslookup a..b
kubectl exec bb -- wget -qO- http://web:99999/
kubectl exec dns -- curl -s http://web:99999/
kubectl get pods
# A pod the scheduler cannot place, and one whose image cannot be pulled.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: stuck
spec:
  nodeSelector:
    disk: ssd
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
EOF
kubectl run typo --image=busybox:9.99 --command -- sleep 3600
sleep 5
kubectl exec stuck -- hostname
kubectl exec typo -- hostname
kubectl exec -n kube-system etcd-control-plane -- sh
