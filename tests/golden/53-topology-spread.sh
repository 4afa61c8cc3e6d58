# Topology spread constraints (PodTopologySpread plugin). The workers get zone labels
# first: kind nodes have none.
kubectl label node worker-1 topology.kubernetes.io/zone=zone-a
kubectl label node worker-2 topology.kubernetes.io/zone=zone-a
kubectl label node worker-3 topology.kubernetes.io/zone=zone-b

# maxSkew 1 across zones (DoNotSchedule), and across nodes as a preference
# (ScheduleAnyway): zone-a and zone-b end up with 3 pods each, although zone-a has two
# nodes.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: spread
spec:
  replicas: 6
  selector:
    matchLabels:
      app: spread
  template:
    metadata:
      labels:
        app: spread
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels:
            app: spread
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels:
            app: spread
      containers:
      - name: nginx
        image: nginx:1.25
EOF
sleep 20
kubectl get pods -l app=spread -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName --sort-by=.spec.nodeName
kubectl get pods -l app=spread -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort | uniq -c

# Every node with the topology label is a domain, tainted or cordoned or not
# (nodeTaintsPolicy defaults to Ignore): the control-plane and the cordoned worker-3 hold
# none of these pods, so the skew allows only one pod on each other node.
kubectl cordon worker-3
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: strict
spec:
  replicas: 4
  selector:
    matchLabels:
      app: strict
  template:
    metadata:
      labels:
        app: strict
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels:
            app: strict
      containers:
      - name: nginx
        image: nginx:1.25
EOF
sleep 10
kubectl get pods -l app=strict -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,NODE:.spec.nodeName --sort-by=.spec.nodeName
kubectl get events --field-selector reason=FailedScheduling -o custom-columns=MESSAGE:.message | sort -u
# Uncordoned, worker-3 takes one; the fourth still waits, because the control-plane
# stays an empty domain (a well-known surprise on kind and kubeadm clusters).
kubectl uncordon worker-3
sleep 10
kubectl get pods -l app=strict -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort | uniq -c
# nodeTaintsPolicy: Honor leaves out the nodes whose taints the pod does not tolerate.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: honoured
spec:
  replicas: 4
  selector:
    matchLabels:
      app: honoured
  template:
    metadata:
      labels:
        app: honoured
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: DoNotSchedule
        nodeTaintsPolicy: Honor
        labelSelector:
          matchLabels:
            app: honoured
      containers:
      - name: nginx
        image: nginx:1.25
EOF
sleep 10
kubectl get pods -l app=honoured -o jsonpath='{range .items[*]}{.status.phase} {.spec.nodeName}{"\n"}{end}' | sort | uniq -c

# A constraint on a key no node carries: no node qualifies, and preemption cannot help.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: racked
  labels:
    app: racked
spec:
  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: example.com/rack
    whenUnsatisfiable: DoNotSchedule
    labelSelector:
      matchLabels:
        app: racked
  containers:
  - name: nginx
    image: nginx:1.25
EOF
kubectl describe pod racked | tail -4
