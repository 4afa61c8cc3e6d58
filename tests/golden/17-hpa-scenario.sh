# The HorizontalPodAutoscaler scenario: php-apache (registry.k8s.io/hpa-example, 200m
# CPU requested) at 2 replicas with a 50% CPU target. Steady load of 24 requests/s (20 ms
# of CPU each: 480m in all) puts each pod at 120%: the HPA scales 2 → 4 (the first step
# is capped at max(2 × current, 4)) → 5, where 96m a pod is within the 10% tolerance.
# The load stops; usage drops to 0% at once, but the 5-minute downscale stabilisation
# keeps 5 replicas until the last high recommendation leaves the window: back to 2.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  replicas: 2
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
  labels:
    run: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
EOF
kubectl rollout status deployment php-apache
kubectl autoscale deployment php-apache --cpu=50% --min=2 --max=10
kubectl get hpa
sleep 30
kubectl get hpa
kubectl run client --image=busybox:1.36 -- sleep 3600
kubectl wait --for=condition=Ready pod/client
sim traffic start --from pod/client --rate 24 http://php-apache
sleep 30
kubectl top pods -l run=php-apache
kubectl get hpa
sleep 30
kubectl get hpa
kubectl get deployment php-apache
sleep 60
kubectl get hpa
kubectl top pods -l run=php-apache
kubectl describe hpa php-apache
sim traffic stop all
sleep 30
kubectl get hpa
kubectl get deployment php-apache
sleep 240
kubectl get hpa
sleep 60
kubectl get hpa
kubectl get deployment php-apache
kubectl describe hpa php-apache
kubectl get events --field-selector involvedObject.kind=HorizontalPodAutoscaler
