# Validation, strict decoding, YAML syntax, unknown kinds and removed API versions,
# worded as kubectl and the apiserver word them (k8s-behaviour.md §3, §10).

# The seed's ReplicaSet with `template` at the top level: strict decoding rejects it.
kubectl apply -f - <<EOF
apiVersion:  apps/v1
kind:  ReplicaSet
metadata:
  name:  nginx-replicaset
spec:
  selector:
    matchLabels:
      app:  nginx
  replicas:  5  # tells deployment to run 2 pods matching the template
template:
  metadata:
    labels:
      app:  nginx
  spec:
    containers:
      - name:  nginx
        image:  nginx:1.14.2
        ports:
          - containerPort:  80
EOF

# The seed's NodePort Service with `spec` indented under metadata: not valid YAML.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service 
metadata: 
  name: my-service 
    spec: 
      type: NodePort 
      selector: 
        app: MyApp
      ports: 
        - port: 8080 
        targetPort: 80 
        nodePort: 30007
EOF

# The seed's ClusterIP Service with `spec` nested in metadata: valid YAML, unknown field.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service 
metadata: 
  name: postgres-db 
  namespace: db
  spec: 
    selector: 
      layer: db 
      type: ClusterIP
EOF
kubectl create namespace db
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service 
metadata: 
  name: postgres-db 
  namespace: db
  spec: 
    selector: 
      layer: db 
      type: ClusterIP
EOF

# A typo in a container field, with and without strict validation (§10.12, §10.13).
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
  - name: app
    image: nginx:1.25
    imagePullPolcy: Always
EOF
kubectl apply --validate=false -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
  - name: app
    image: nginx:1.25
    imagePullPolcy: Always
EOF
kubectl get pod typo -o jsonpath='{.spec.containers[0].imagePullPolicy}{"\n"}'

# Deployment validation (§3.6, §3.8) and a missing selector.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  strategy:
    rollingUpdate:
      maxSurge: 0
      maxUnavailable: 0
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: web
        image: nginx
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "three"
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
EOF

# Unknown kinds and removed API versions.
kubectl apply -f - <<EOF
apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: old
spec:
  template:
    metadata:
      labels:
        app: old
    spec:
      containers:
      - name: old
        image: nginx
EOF
kubectl apply -f - <<EOF
apiVersion: example.com/v1
kind: Widget
metadata:
  name: sprocket
EOF

# Several documents: the good ones are applied, the errors are reported at the end.
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: first
data:
  a: "1"
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: pdb
spec:
  minAvailable: 1
---
apiVersion: v1
kind: Service
metadata:
  name: Bad_Name
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: second
EOF
kubectl get configmaps

# Objects that must already exist, and services that clash.
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: lost
  namespace: nowhere
EOF
kubectl create service nodeport a --tcp=80:80 --node-port=30007
kubectl create service nodeport b --tcp=80:80 --node-port=30007
kubectl create service nodeport c --tcp=80:80 --node-port=29999
kubectl get svc

# Commands and flags that do not exist.
kubectl get pods --bogus
kubectl gett pods
kubectl get widgets
kubectl get pods nonexistent
kubectl get
kubectl describe pod nonexistent
kubectl delete deployment nonexistent
helm install x
