# kubectl create cronjob|role|rolebinding and kubectl auth can-i: the admin may do
# anything; a ServiceAccount may do what its RoleBinding's Role grants, in its namespace.
kubectl create cronjob hello --image=busybox:1.36 --schedule="*/1 * * * *" -- date
kubectl get cronjob hello -o jsonpath='{.spec.schedule} {.spec.jobTemplate.spec.template.spec.restartPolicy} {.spec.jobTemplate.spec.template.spec.containers[0].command}{"\n"}'
kubectl create cronjob nope --image=busybox:1.36
kubectl create cronjob nope
kubectl create role pod-reader --verb=get,list,watch --resource=pods,deploy,pods/log
kubectl get role pod-reader -o jsonpath='{.rules}{"\n"}'
kubectl create role named --verb=get --resource=configmaps --resource-name=settings --verb=frobnicate
kubectl create role broken --resource=pods
kubectl create role broken --verb=get
kubectl create serviceaccount robot
kubectl create rolebinding robot-reads --role=pod-reader --serviceaccount=default:robot
kubectl get rolebinding robot-reads -o jsonpath='{.roleRef.kind}/{.roleRef.name} {.subjects}{"\n"}'
kubectl create rolebinding bad --role=pod-reader --clusterrole=view
kubectl create rolebinding bad --role=pod-reader --serviceaccount=robot
kubectl auth can-i create deployments
kubectl auth can-i delete nodes
kubectl auth can-i list pods --as=system:serviceaccount:default:robot
kubectl auth can-i get pods/log --as=system:serviceaccount:default:robot
kubectl auth can-i get pods --subresource=log --as=system:serviceaccount:default:robot
kubectl auth can-i delete pods --as=system:serviceaccount:default:robot
kubectl auth can-i list pods -n kube-system --as=system:serviceaccount:default:robot
kubectl auth can-i get deployments.apps --as=system:serviceaccount:default:robot
kubectl auth can-i get configmaps/settings --as=jane
kubectl auth can-i get configmaps --as=jane --as-group=system:masters
kubectl auth can-i list nodes --as=system:serviceaccount:default:robot || echo "exit status 1"
kubectl auth can-i frob widgets
kubectl auth can-i get
