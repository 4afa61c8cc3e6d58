# AGE across its ranges (apimachinery HumanDuration), JSONPath output, and the shell
# conveniences tutorials rely on: export, $VAR, ${VAR}, $(…), pipes.
kubectl create configmap t0 --from-literal=k=v
sleep 5
kubectl get cm t0
sleep 114
kubectl get cm t0
sleep 4
kubectl get cm t0
sleep 2m
kubectl get cm t0
sleep 5m
kubectl get cm t0
sleep 36m
kubectl get cm t0
sleep 2h20m
kubectl get cm t0
sleep 5h
kubectl get cm t0
sleep 42h
kubectl get cm t0
sleep 7d
kubectl get cm t0
sleep 365d
kubectl get cm t0
sleep 200d
sleep 200d
kubectl get cm t0
sim time

# JSONPath and custom columns.
kubectl get nodes -o jsonpath='{.items[*].metadata.name}{"\n"}'
kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}'
kubectl get svc kubernetes -o jsonpath='{.spec.clusterIP}'
kubectl get pods -n kube-system -l k8s-app=kube-dns -o name
kubectl get nodes -o custom-columns=NAME:.metadata.name,CIDR:.spec.podCIDR
kubectl get svc kube-dns -n kube-system -o jsonpath='{.spec.ports[?(@.name=="dns-tcp")].port}{"\n"}'

# Shell conveniences.
export IP=$(kubectl get svc kubernetes -o jsonpath='{.spec.clusterIP}')
echo "The API server answers at $IP"
echo "and at ${IP}:443"
export NS=kube-system
kubectl get deploy -n $NS
kubectl get pods -n ${NS} -o name | grep coredns | wc -l
kubectl get pods -A --no-headers | head -3
kubectl get nodes && kubectl get ns --no-headers | sort -r
kubectl get nosuchthing || echo "that failed, as expected"
echo "$(kubectl get nodes -o name | tail -1) is the last node"
