# Inter-pod affinity and anti-affinity (InterPodAffinity plugin). kind nodes carry
# kubernetes.io/hostname but no topology.kubernetes.io/zone, so zones appear only once the
# nodes are labelled (below).
#
# Required anti-affinity on the hostname: one cache pod per node; the fourth has nowhere
# to go (the control-plane is tainted, the workers each hold a cache pod already).
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
spec:
  replicas: 4
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                app: cache
            topologyKey: kubernetes.io/hostname
      containers:
      - name: redis
        image: redis:7.2
EOF
sleep 20
kubectl get pods -l app=cache -o wide
kubectl describe $(kubectl get pods -l app=cache --field-selector=status.phase=Pending -o name) | tail -4

# Required affinity: each web pod must share a node with a cache pod; preferred
# anti-affinity among the web pods spreads them over those nodes.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      affinity:
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                app: cache
            topologyKey: kubernetes.io/hostname
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              labelSelector:
                matchLabels:
                  app: web
              topologyKey: kubernetes.io/hostname
      containers:
      - name: nginx
        image: nginx:1.25
EOF
sleep 20
kubectl get pods -l app=web -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName

# Affinity to pods that do not exist: no node can ever satisfy it, so preemption is no help.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: lonely
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector:
          matchLabels:
            app: db
        topologyKey: kubernetes.io/hostname
  containers:
  - name: nginx
    image: nginx:1.25
EOF
kubectl describe pod lonely | tail -4

# A pod matching its own affinity term may start the group (the first of a series).
# lonely is tried again when a pod lands, and can follow db.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels:
    app: db
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector:
          matchLabels:
            app: db
        topologyKey: kubernetes.io/hostname
  containers:
  - name: redis
    image: redis:7.2
EOF
sleep 5
kubectl get pods db lonely -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,NODE:.spec.nodeName

# Zones: label the workers, then anti-affinity per zone allows one pod per zone.
kubectl label node worker-1 topology.kubernetes.io/zone=zone-a
kubectl label node worker-2 topology.kubernetes.io/zone=zone-a
kubectl label node worker-3 topology.kubernetes.io/zone=zone-b
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: zonal
spec:
  replicas: 3
  selector:
    matchLabels:
      app: zonal
  template:
    metadata:
      labels:
        app: zonal
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                app: zonal
            topologyKey: topology.kubernetes.io/zone
      containers:
      - name: nginx
        image: nginx:1.25
EOF
sleep 10
kubectl get pods -l app=zonal -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,NODE:.spec.nodeName
kubectl get events --field-selector reason=FailedScheduling,involvedObject.name=$(kubectl get pods -l app=zonal --field-selector=status.phase=Pending -o jsonpath='{.items[0].metadata.name}') -o custom-columns=MESSAGE:.message
