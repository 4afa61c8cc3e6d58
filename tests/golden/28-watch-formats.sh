# kubectl get -w in other output formats: each object is printed on its own (a YAML
# document each, separated by ---), the listed ones first and then every change. A watch
# follows one resource type. --output-watch-events says what each change was: an EVENT
# column, or the watch event {type, object} itself.
kubectl create deployment web --image=nginx:1.25 --replicas=1
sleep 10s
kubectl scale deployment web --replicas=2
kubectl get pods -w -o jsonpath='{.metadata.name} {.status.phase} {.spec.nodeName}{"\n"}'
kubectl scale deployment web --replicas=3
kubectl get pods -w -o name
kubectl scale deployment web --replicas=1
kubectl get deployment web -w -o custom-columns=NAME:.metadata.name,WANT:.spec.replicas,HAVE:.status.replicas
kubectl scale deployment web --replicas=2
kubectl get deployment web -w -o yaml
kubectl scale deployment web --replicas=3
kubectl get pods -w --output-watch-events
kubectl scale deployment web --replicas=1
kubectl get pods -w --output-watch-events -o jsonpath='{.type} {.object.metadata.name}{"\n"}'
kubectl create configmap cfg --from-literal=greeting=hello
kubectl get configmap cfg -w --output-watch-events -o json
kubectl get configmap cfg -w --output-watch-events -o yaml
kubectl get jobs -w
kubectl get pods,services -w
kubectl get all -w
