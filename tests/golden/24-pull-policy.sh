# imagePullPolicy defaulting (k8s-behaviour.md §1): no tag or :latest → Always, any
# other tag or a digest → IfNotPresent; an update of the image does not change it.
kubectl run a --image=nginx
kubectl run b --image=nginx:latest
kubectl run c --image=nginx:1.25
kubectl run d --image=nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
kubectl run e --image=nginx --image-pull-policy=Never
kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,POLICY:.spec.containers[0].imagePullPolicy
kubectl set image pod/c c=nginx:latest
kubectl get pod c -o jsonpath='{.spec.containers[0].image} {.spec.containers[0].imagePullPolicy}{"\n"}'
sleep 10
kubectl get pods
# The kubelet restarts a container whose image changed; nginx:1.26 is not on the node
# yet, so it is pulled first.
kubectl set image pod/c c=nginx:1.26
sleep 5
kubectl get pod c
kubectl describe pod c | tail -9
