# Server-side apply: field managers in metadata.managedFields, the conflict when another
# manager owns a field the apply would change, co-ownership of equal values,
# --force-conflicts, kubectl scale taking a field, fields dropped from the applied
# configuration removed, and kubectl's own upgrade from client-side apply.
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
      - name: nginx
        image: nginx:1.25
EOF
kubectl get deploy web -o yaml --show-managed-fields
# Hidden unless asked for, as kubectl's printers hide them.
kubectl get deploy web -o jsonpath='{.metadata.managedFields}'

# Another manager wants 3 replicas: client-side apply owns the field.
kubectl apply --server-side --field-manager=team-b -f - <<EOF
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
      - name: nginx
        image: nginx:1.25
EOF
# The same value as the live one is co-owned, not a conflict.
kubectl apply --server-side --field-manager=team-b -f - <<EOF
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
      - name: nginx
        image: nginx:1.25
EOF
kubectl apply --server-side --field-manager=team-b --force-conflicts -f - <<EOF
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
      - name: nginx
        image: nginx:1.25
EOF
kubectl get deploy web -o jsonpath='{range .metadata.managedFields[*]}{.manager}/{.operation}: {.fieldsV1.f:spec.f:replicas}{"\n"}{end}' --show-managed-fields

# kubectl scale writes replicas through the scale subresource and takes the field.
kubectl scale deploy web --replicas=4
kubectl apply --server-side --field-manager=team-b -f - <<EOF
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
      - name: nginx
        image: nginx:1.25
EOF
kubectl get deploy web -o jsonpath='{range .metadata.managedFields[*]}{.manager} {.operation} {.subresource}{"\n"}{end}' --show-managed-fields

# A configuration that stops sending a field removes it, when no one else owns it.
kubectl apply --server-side -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  color: blue
  size: large
EOF
kubectl apply --server-side -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  color: green
EOF
kubectl get cm settings -o jsonpath='{.data}{"\n"}'
kubectl get cm settings -o yaml --show-managed-fields

# kubectl (the default manager) takes over what its own client-side apply set.
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: legacy
data:
  mode: old
EOF
kubectl apply --server-side -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: legacy
data:
  mode: new
EOF
kubectl get cm legacy -o jsonpath='{range .metadata.managedFields[*]}{.manager} {.operation}{"\n"}{end}' --show-managed-fields

kubectl apply --force-conflicts -f - < /dev/null
kubectl apply --server-side --dry-run=client -f - < /dev/null
kubectl apply --server-side --dry-run=server --field-manager=team-b --force-conflicts -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 5
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
EOF
kubectl get deploy web -o jsonpath='{.spec.replicas}{"\n"}'
