# Balancing, counted: steady traffic to a 3-pod Service spreads about evenly (each new
# connection walks kube-proxy's probability rules); sessionAffinity: ClientIP pins a
# client to one pod; a keep-alive connection stays on its pod (conntrack), even after
# the Deployment scales up — new pods get none of it.
kubectl create deployment echo --image=traefik/whoami --replicas=3
kubectl expose deployment echo --port=80 --type=NodePort --name=spread
kubectl expose deployment echo --port=80 --type=NodePort --name=sticky --session-affinity=ClientIP
kubectl rollout status deployment/echo
kubectl get svc sticky -o jsonpath='{.spec.sessionAffinityConfig}{"\n"}'
sim traffic start --rate 100 http://172.18.0.3:$(kubectl get svc spread -o jsonpath='{.spec.ports[0].nodePort}')/
sim traffic start --rate 100 http://172.18.0.3:$(kubectl get svc sticky -o jsonpath='{.spec.ports[0].nodePort}')/
sleep 10
sim traffic stop all
sim traffic counts
sim traffic start --keepalive --rate 20 http://172.18.0.4:$(kubectl get svc spread -o jsonpath='{.spec.ports[0].nodePort}')/
sleep 2
kubectl scale deployment echo --replicas=5
sleep 20
sim traffic list
sim trace
