# A missing tag fails to pull (containerd's wording), ErrImagePull, then ImagePullBackOff
# on the kubelet's schedule: 10 s doubling to 300 s (k8s-behaviour.md §2).
kubectl run bad --image=nginx:1.99
kubectl get pods
sleep 2
kubectl get pods
sleep 20
kubectl get pods
sleep 120
kubectl describe pod bad
kubectl get pod bad -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
kubectl logs bad
# A typo of an official image: the repository does not exist.
kubectl run typo --image=ngnix
sleep 3
kubectl get pod typo -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
# An invalid image name and pull policy Never.
kubectl run placeholder --image='<your-private-image>'
kubectl run never --image=redis:7 --image-pull-policy=Never
sleep 2
kubectl get pods placeholder never
kubectl get pod never -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
# The registry goes down: pulls fail with a connection error until it is back.
sim registry down
kubectl run offline --image=httpd:2.4
sleep 7
kubectl get pod offline
kubectl get pod offline -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
sim registry up
sleep 30
kubectl get pod offline
