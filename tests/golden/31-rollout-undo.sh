# set image starts a new revision; rollout history lists revisions; undo brings the
# previous ReplicaSet back as a new revision; pause/resume and their errors (§3, §10).
kubectl create deployment web --image=nginx:1.24 --replicas=3
kubectl rollout status deployment/web
kubectl set image deployment/web nginx=nginx:1.25
kubectl annotate deployment/web kubernetes.io/change-cause="image updated to 1.25"
kubectl rollout status deployment/web
kubectl get rs -o wide
kubectl rollout history deployment/web
kubectl rollout undo deployment/web
kubectl rollout status deployment/web --watch=false
kubectl rollout status deployment/web
kubectl get rs -o wide
kubectl rollout history deployment web
kubectl get rs -l app=web -o jsonpath='{range .items[*]}{.metadata.name}{" revision="}{.metadata.annotations.deployment\.kubernetes\.io/revision}{" history="}{.metadata.annotations.deployment\.kubernetes\.io/revision-history}{"\n"}{end}'
kubectl rollout undo deployment/web --to-revision=7
kubectl rollout undo deployment/web --to-revision=3
kubectl rollout pause deployment/web
kubectl rollout pause deployment/web
kubectl rollout restart deployment/web
kubectl rollout undo deployment/web
kubectl set image deployment/web nginx=nginx:1.26
kubectl get rs
kubectl get deploy web -o jsonpath='{.status.conditions[?(@.type=="Progressing")].reason}{"\n"}'
kubectl rollout resume deployment/web
kubectl rollout resume deployment/web
kubectl rollout status deployment/web
kubectl rollout pause daemonset/kube-proxy -n kube-system
kubectl rollout status pod/nope
kubectl rollout status deployment/nope
kubectl rollout history deployment/web --revision=4
