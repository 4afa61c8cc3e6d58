# kubectl explain down to fields: kubectl v1.34's OpenAPI v3 layout (GROUP/KIND/VERSION,
# FIELD: name <type>, the field's description then its type's, FIELDS with -required-),
# --recursive, --api-version, the errors, and a custom resource explained from its CRD.
kubectl explain deploy.spec.strategy
kubectl explain deployment.spec.replicas
kubectl explain pods.spec.containers.resources --recursive
kubectl explain pod.spec.containers.ports
kubectl explain svc.spec.ports.targetPort
kubectl explain cm
kubectl explain deploy.spec.foo
kubectl explain deploy.spec.replicas.foo
kubectl explain hpa.spec --api-version=autoscaling/v1
kubectl explain deployments --api-version=apps/v2
kubectl explain pods --api-version=apps/v1
kubectl explain widgets
kubectl explain pods nodes

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
          description: CronTab runs an image on a schedule.
          type: object
          properties:
            spec:
              description: The schedule and what it runs.
              type: object
              required: [cronSpec]
              properties:
                cronSpec:
                  description: When to run, in cron syntax.
                  type: string
                image:
                  type: string
                replicas:
                  type: integer
                tags:
                  type: array
                  items:
                    type: string
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames:
    - ct
EOF
kubectl explain crontabs
kubectl explain ct.spec
kubectl explain ct --recursive
kubectl explain ct.spec.schedule
