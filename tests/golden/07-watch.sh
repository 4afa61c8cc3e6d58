# kubectl get -w: the table, then one line per change as virtual time passes (until
# nothing is scheduled for 30 s; a terminal would wait for Ctrl-C).
kubectl create deployment web --image=nginx:1.25 --replicas=2
kubectl get pods -w
kubectl get deploy web
