# kubectl patch: strategic merge follows each field's patch strategy (containers merge
# on name, a container's env on name, ports on containerPort; tolerations have none and
# are replaced whole), JSON merge patch replaces lists, JSON patch works on positions.
kubectl create deployment web --image=nginx:1.25 --replicas=2
kubectl patch deployment web -p '{"spec":{"replicas":3}}'
kubectl patch deployment web -p '{"spec":{"replicas":3}}'
kubectl get deployment web -o jsonpath='{.spec.replicas}{"\n"}'
# A strategic merge patch changes one container and keeps its defaulted fields.
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26","env":[{"name":"MODE","value":"blue"}]}]}}}}'
kubectl get deployment web -o jsonpath='{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].imagePullPolicy} {.spec.template.spec.containers[0].env}{"\n"}'
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"TIER","value":"front"}],"ports":[{"containerPort":80}]}]}}}}'
kubectl get deployment web -o jsonpath='{.spec.template.spec.containers[0].env}{"\n"}{.spec.template.spec.containers[0].ports}{"\n"}'
# $patch: delete removes one element of a merged list.
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"MODE","$patch":"delete"}]}]}}}}'
kubectl get deployment web -o jsonpath='{.spec.template.spec.containers[0].env}{"\n"}'
# Tolerations have no patch strategy: the patch's list replaces the live one.
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"tolerations":[{"key":"a","operator":"Exists"}]}}}}'
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"tolerations":[{"key":"b","operator":"Exists"}]}}}}'
kubectl get deployment web -o jsonpath='{.spec.template.spec.tolerations}{"\n"}'
# The patch may be YAML; a node patch marks it unschedulable.
kubectl patch node worker-3 -p $'spec:\n  unschedulable: true'
kubectl get nodes worker-3
kubectl patch node/worker-3 --type merge -p '{"spec":{"unschedulable":null}}'
# A JSON merge patch replaces lists whole; JSON patch addresses positions.
kubectl patch deployment web --type merge -p '{"metadata":{"labels":{"team":"a"}}}'
kubectl patch deployment web --type json -p '[{"op":"replace","path":"/spec/replicas","value":1},{"op":"add","path":"/metadata/labels/tier","value":"web"}]'
kubectl get deployment web --show-labels
kubectl patch deployment web --type json -p '[{"op":"remove","path":"/spec/template/spec/tolerations"}]'
kubectl get deployment web -o jsonpath='{.spec.template.spec.tolerations}{"\n"}'
kubectl patch pod -n kube-system kube-apiserver-control-plane --type merge -p '{"metadata":{"labels":{"seen":"yes"}}}' -o name
kubectl patch deployment web -p '{"spec":{"replicas":2}}' --dry-run=client
kubectl get deployment web -o jsonpath='{.spec.replicas}{"\n"}'
# Errors, as kubectl and the apiserver word them.
kubectl patch deployment web
kubectl patch deployment web -p '{}' --patch-file x.json
kubectl patch deployment web --type foo -p '{}'
kubectl patch deployment web -p '{"spec":'
kubectl patch deployment missing -p '{"spec":{"replicas":1}}'
kubectl patch deployment -p '{"spec":{"replicas":1}}'
kubectl patch -p '{"spec":{"replicas":1}}'
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"image":"nginx:1.27"}]}}}}'
kubectl patch deployment web -p '{"spec":{"replicas":-1}}'
kubectl patch deployment web --type json -p '[{"op":"replace","path":"/spec/nothing/here","value":1}]'
kubectl patch deployment web --type json -p '{"spec":{"replicas":1}}'
kubectl patch deployment web --type json -p '[{"op":"test","path":"/spec/replicas","value":7}]'
# edit needs an editor program, and this console has none.
kubectl edit deployment web
export KUBE_EDITOR=nano
kubectl edit deployment/web
kubectl edit deployment missing
