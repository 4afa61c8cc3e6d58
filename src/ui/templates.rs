//! Starter manifests for the editor's template menu: one per common kind, plus the
//! examples from the seed notes (kubernetes-notes.md), verbatim where they apply as
//! written. Every image is one the simulated registry serves (src/sim/kubelet/images.rs;
//! `hello-seattle` is any-other-repository, which exists).
//!
//! Pure data, compiled natively too: a test applies each template to a fresh cluster.

/// One entry of the template menu.
#[derive(Clone, Copy, Debug)]
pub struct Template {
    /// The `<option>` value.
    pub id: &'static str,
    /// What the menu shows.
    pub label: &'static str,
    /// The buffer's file name once loaded (shown in `kubectl apply -f NAME`).
    pub file: &'static str,
    pub text: &'static str,
}

pub const TEMPLATES: &[Template] = &[
    Template {
        id: "pod",
        label: "Pod",
        file: "pod.yaml",
        text: "\
apiVersion: v1
kind: Pod
metadata:
  name: hello
  labels:
    app: hello
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
",
    },
    Template {
        id: "deployment",
        label: "Deployment",
        file: "web.yaml",
        text: "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
",
    },
    Template {
        id: "service",
        label: "Service (with its Deployment)",
        file: "web-service.yaml",
        text: "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
",
    },
    Template {
        id: "statefulset",
        label: "StatefulSet",
        file: "redis.yaml",
        text: "\
apiVersion: v1
kind: Service
metadata:
  name: redis
spec:
  clusterIP: None
  selector:
    app: redis
  ports:
  - port: 6379
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: redis
spec:
  serviceName: redis
  replicas: 3
  selector:
    matchLabels:
      app: redis
  template:
    metadata:
      labels:
        app: redis
    spec:
      containers:
      - name: redis
        image: redis:7.2
        ports:
        - containerPort: 6379
",
    },
    Template {
        id: "daemonset",
        label: "DaemonSet",
        file: "node-agent.yaml",
        text: "\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
spec:
  selector:
    matchLabels:
      app: node-agent
  template:
    metadata:
      labels:
        app: node-agent
    spec:
      containers:
      - name: agent
        image: busybox:1.36
        command: [\"sh\", \"-c\", \"while true; do sleep 3600; done\"]
",
    },
    Template {
        id: "job",
        label: "Job",
        file: "pi.yaml",
        text: "\
apiVersion: batch/v1
kind: Job
metadata:
  name: hello-job
spec:
  completions: 1
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: hello
        image: busybox:1.36
        command: [\"sh\", \"-c\", \"echo hello from the job\"]
",
    },
    Template {
        id: "ingress",
        label: "Ingress (with its Service)",
        file: "ingress.yaml",
        text: "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
",
    },
    Template {
        id: "seed-nginx-deployment",
        label: "nginx-deployment (from the notes)",
        file: "nginx-deployment.yaml",
        text: "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 10
  selector:
    matchLabels:
      app: nginx
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: hello-seattle:latest
          ports:
            - containerPort: 8080
",
    },
    Template {
        id: "seed-mongodb-statefulset",
        label: "mongodb StatefulSet (from the notes)",
        file: "mongodb.yaml",
        text: "\
apiVersion: v1
kind: Service
metadata:
  name: mongodb
spec:
  type: LoadBalancer
  selector:
    app: mongodb
  ports:
    - port: 27017
      targetPort: 27017

---
apiVersion: v1
kind: Secret
metadata:
  name: mongo-password
type: opaque
stringData:
  MONGO_INITDB_ROOT_PASSWORD: secret
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: mongodb
spec:
  selector:
    matchLabels:
      app: mongodb
  serviceName: mongodb
  replicas: 3
  template:
    metadata:
      labels:
        app: mongodb
    spec:
      containers:
        - name: mongodb
          image: mongo:latest
          ports:
            - name: mongodb
              containerPort: 27017
          volumeMounts:
            - name: data
              mountPath: /data/db
          env:
            - name: MONGO_INITDB_ROOT_USERNAME
              value: admin
            - name: MONGO_INITDB_ROOT_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: mongo-password
                  key: MONGO_INITDB_ROOT_PASSWORD
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [\"ReadWriteOnce\"]
        resources:
          requests:
            storage: 1Gi
",
    },
    Template {
        id: "seed-example-services",
        label: "whoami + headless Service (from the notes)",
        file: "example.yaml",
        text: "\
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: example
  name: example
spec:
  replicas: 3
  selector:
    matchLabels:
      app: example
  template:
    metadata:
      labels:
        app: example
    spec:
      containers:
      - image: docker.io/traefik/whoami:latest
        name: whoami
        ports:
        - containerPort: 80
          name: http
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: example
  name: example
spec:
  ports:
  - name: http
    port: 80
    targetPort: http
  selector:
    app: example
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: example
  name: example-headless
spec:
  clusterIP: None
  ports:
  - name: http
    port: 80
    targetPort: http
  selector:
    app: example
",
    },
];

/// The template with this `<option>` value.
pub fn find(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;

    /// The pods of the last `kubectl get pods` table that are not Running (or, for a Job,
    /// Completed).
    fn unready(table: &str) -> Vec<String> {
        table
            .lines()
            .skip(1)
            .filter(|l| !l.contains(" Running ") && !l.contains(" Completed "))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_template_applies_and_its_pods_run() {
        for t in TEMPLATES {
            let mut console = Console::new(1);
            let body = t.text.trim_end_matches('\n');
            let out = console.execute(&format!("kubectl apply -f - <<EOF\n{body}\nEOF"));
            assert!(
                !out.to_lowercase().contains("error") && !out.contains("invalid"),
                "template {} was refused:\n{out}",
                t.id
            );
            assert!(out.contains("created"), "template {}:\n{out}", t.id);
            let workload = ["Deployment", "StatefulSet", "DaemonSet", "Job", "Pod"]
                .iter()
                .any(|k| t.text.contains(&format!("kind: {k}\n")));
            if workload {
                console.execute("sleep 60");
                let pods = console.execute("kubectl get pods");
                assert!(
                    pods.lines().count() > 1,
                    "template {}: no pods\n{pods}",
                    t.id
                );
                assert_eq!(unready(&pods), Vec::<String>::new(), "template {}", t.id);
            }
        }
    }

    #[test]
    fn the_seed_nginx_deployment_is_the_notes_one() {
        let t = find("seed-nginx-deployment").unwrap();
        assert_eq!(t.label, "nginx-deployment (from the notes)");
        for want in [
            "name: nginx-deployment",
            "replicas: 10",
            "maxSurge: 1",
            "maxUnavailable: 0",
            "image: hello-seattle:latest",
        ] {
            assert!(t.text.contains(want), "{want}");
        }
        let ids: Vec<&str> = TEMPLATES.iter().map(|t| t.id).collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "ids are unique");
    }
}
