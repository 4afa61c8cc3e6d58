# kubectl diff shows what apply would change (diff -u -N of LIVE and MERGED, exit 1 when
# they differ); kubectl replace PUTs the whole object, guarded by its resourceVersion.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
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
        image: nginx:1.25
EOF
sleep 10
kubectl diff -f - <<EOF && echo "no differences" || echo "differences found (exit status 1)"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
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
        image: nginx:1.25
EOF
kubectl diff -f - <<EOF && echo "no differences" || echo "differences found (exit status 1)"
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
      containers:
      - name: web
        image: nginx:1.26
EOF
kubectl get deployment web -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image}{"\n"}'
kubectl diff -f - <<EOF && echo "no differences" || echo "differences found (exit status 1)"
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: blue
EOF
# replace with the live resourceVersion succeeds; sending it again is stale.
export RV=$(kubectl get deployment web -o jsonpath='{.metadata.resourceVersion}')
kubectl replace -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  resourceVersion: "$RV"
spec:
  replicas: 1
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
        image: nginx:1.26
EOF
kubectl replace -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  resourceVersion: "$RV"
spec:
  replicas: 4
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
        image: nginx:1.26
EOF
kubectl get deployment web -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image}{"\n"}'
kubectl replace -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: blue
EOF
kubectl create configmap settings --from-literal=mode=green
kubectl replace --force -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: blue
EOF
kubectl get configmap settings -o jsonpath='{.data.mode}{"\n"}'
kubectl replace deployment web
