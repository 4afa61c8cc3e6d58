# ownerReferences and the garbage collector (background and orphan cascades), namespace
# deletion, custom resources after their CRD, and the control-plane message log.
kubectl create namespace demo
kubectl create deployment web --image=nginx:1.25 --replicas=2 -n demo
sleep 10
kubectl get deploy,rs,pods -n demo
kubectl get rs -n demo -o jsonpath='{.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name}{"\n"}'
kubectl delete deployment web -n demo
kubectl get deploy,rs,pods -n demo
kubectl create deployment api --image=nginx:1.25 -n demo
sleep 10
kubectl delete deployment api -n demo --cascade=orphan
kubectl get rs -n demo -o name
kubectl get rs -n demo -o jsonpath='{.items[0].metadata.ownerReferences}{"\n"}'
kubectl delete namespace demo
kubectl get ns
kubectl get all -n demo
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: late
  namespace: demo
EOF

# A custom resource needs its CRD first.
kubectl apply -f - <<EOF
apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: my-new-cron-object
spec:
  cronSpec: "* * * * */5"
  image: my-awesome-cron-image
EOF
kubectl apply -f - <<EOF
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                cronSpec:
                  type: string
                image:
                  type: string
                replicas:
                  type: integer
      additionalPrinterColumns:
      - name: Spec
        type: string
        jsonPath: .spec.cronSpec
      - name: Age
        type: date
        jsonPath: .metadata.creationTimestamp
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames:
    - ct
EOF
kubectl apply -f - <<EOF
apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: my-new-cron-object
spec:
  cronSpec: "* * * * */5"
  image: my-awesome-cron-image
EOF
kubectl get crontabs
kubectl get ct my-new-cron-object -o jsonpath='{.spec.image}{"\n"}'
kubectl api-resources --api-group=stable.example.com
kubectl delete crd crontabs.stable.example.com
kubectl get crontabs

# What the control plane said while doing the last of it.
sim messages 6
