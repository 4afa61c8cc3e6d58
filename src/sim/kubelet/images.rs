//! The simulated registry and image references: which images exist (the official images
//! learners meet, with their real tags and realistic compressed sizes), how names
//! normalise (`nginx` = `docker.io/library/nginx:latest`), and containerd's wording when a
//! pull fails.

use crate::sim::hash::fnv;

/// A parsed image reference (`docker/reference` ParseNormalizedNamed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// `docker.io`, `registry.k8s.io`, `ghcr.io`, …
    pub domain: String,
    /// `library/nginx`, `traefik/whoami`, `coredns/coredns`.
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// `docker.io/library/nginx`.
    pub fn repository(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// The reference containerd pulls: `docker.io/library/nginx:latest`, with digest if any.
    pub fn full(&self) -> String {
        let mut s = self.repository();
        match (&self.tag, &self.digest) {
            (Some(t), _) => s.push_str(&format!(":{t}")),
            (None, None) => s.push_str(":latest"),
            _ => {}
        }
        if let Some(d) = &self.digest {
            s.push_str(&format!("@{d}"));
        }
        s
    }

    /// The short repository name that decides how a container behaves (`nginx`, `busybox`).
    pub fn short_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or("latest")
    }
}

/// Parses an image name like the kubelet (`applyDefaultImageTag`): the error text is
/// `couldn't parse image name "X": invalid reference format`.
pub fn parse(image: &str) -> Result<ImageRef, String> {
    let invalid = || format!("couldn't parse image name {image:?}: invalid reference format");
    if image.is_empty() || image.len() > 255 {
        return Err(invalid());
    }
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => {
            let (alg, hex) = d.split_once(':').ok_or_else(invalid)?;
            if alg.is_empty() || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(invalid());
            }
            (r, Some(d.to_string()))
        }
        None => (image, None),
    };
    // A tag follows the last ':' after the last '/'.
    let last_slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (
            &rest[..last_slash + i],
            Some(rest[last_slash + i + 1..].to_string()),
        ),
        None => (rest, None),
    };
    if let Some(t) = &tag {
        let ok = !t.is_empty()
            && t.len() <= 128
            && t.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !ok {
            return Err(invalid());
        }
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    let domain = if parts.len() > 1
        && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost")
    {
        let d = parts.remove(0);
        if !d
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        {
            return Err(invalid());
        }
        d.to_string()
    } else {
        "docker.io".to_string()
    };
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.chars().all(|ch| {
                ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-')
            })
            && c.chars()
                .next()
                .is_some_and(|ch| ch.is_ascii_alphanumeric())
            && c.chars()
                .last()
                .is_some_and(|ch| ch.is_ascii_alphanumeric())
    };
    if parts.is_empty() || !parts.iter().all(|c| component_ok(c)) {
        return Err(invalid());
    }
    if domain == "docker.io" && parts.len() == 1 {
        parts.insert(0, "library");
    }
    Ok(ImageRef {
        domain,
        path: parts.join("/"),
        tag,
        digest,
    })
}

/// (repository, known tags, compressed size in bytes of the first tag).
const CATALOGUE: &[(&str, &[&str], u64)] = &[
    (
        "docker.io/library/nginx",
        &[
            "latest",
            "stable",
            "mainline",
            "alpine",
            "1.13.2",
            "1.14.2",
            "1.16.1",
            "1.19",
            "1.20",
            "1.21",
            "1.21.6",
            "1.22",
            "1.23",
            "1.24",
            "1.25",
            "1.25.3",
            "1.25.5",
            "1.25-alpine",
            "1.26",
            "1.26-alpine",
            "1.27",
            "1.27.0",
            "1.27-alpine",
            "1.28",
            "1.29",
            "stable-alpine",
            "mainline-alpine",
        ],
        72_190_000,
    ),
    (
        "docker.io/library/busybox",
        &[
            "latest", "1.28", "1.34", "1.35", "1.36", "1.36.1", "1.37", "1.37.0", "1.38", "1.38.0",
            "stable", "glibc", "musl", "uclibc",
        ],
        2_160_000,
    ),
    (
        "docker.io/library/alpine",
        &[
            "latest", "3", "3.18", "3.19", "3.20", "3.21", "3.22", "edge",
        ],
        3_620_000,
    ),
    (
        "docker.io/library/redis",
        &[
            "latest", "alpine", "6", "6.2", "7", "7.0", "7.2", "7.4", "8", "7-alpine",
        ],
        45_600_000,
    ),
    (
        "docker.io/library/mongo",
        &["latest", "4.4", "5.0", "6.0", "7.0", "8.0"],
        280_300_000,
    ),
    (
        "docker.io/library/postgres",
        &[
            "latest",
            "alpine",
            "13",
            "14",
            "15",
            "16",
            "17",
            "13-alpine",
            "14-alpine",
            "15-alpine",
            "16-alpine",
            "17-alpine",
        ],
        153_900_000,
    ),
    (
        "docker.io/library/mysql",
        &["latest", "5.7", "8", "8.0", "8.4", "9"],
        172_400_000,
    ),
    (
        "docker.io/library/httpd",
        &["latest", "alpine", "2.4", "2.4-alpine"],
        58_300_000,
    ),
    (
        "docker.io/library/ubuntu",
        &["latest", "20.04", "22.04", "24.04", "jammy", "noble"],
        29_700_000,
    ),
    (
        "docker.io/library/debian",
        &[
            "latest",
            "bookworm",
            "bookworm-slim",
            "12",
            "12-slim",
            "bullseye",
        ],
        48_500_000,
    ),
    (
        "docker.io/library/python",
        &["latest", "3", "3.11", "3.12", "3.13", "3.12-slim", "alpine"],
        393_000_000,
    ),
    (
        "docker.io/library/node",
        &["latest", "18", "20", "22", "lts", "alpine", "20-alpine"],
        398_000_000,
    ),
    (
        "docker.io/library/memcached",
        &["latest", "1.6", "alpine"],
        31_800_000,
    ),
    (
        "docker.io/library/rabbitmq",
        &["latest", "3", "3-management", "management"],
        89_500_000,
    ),
    (
        "docker.io/library/wordpress",
        &["latest", "6", "php8.2"],
        252_000_000,
    ),
    (
        "docker.io/library/traefik",
        &["latest", "v2.11", "v3.0", "v3.1", "v3"],
        48_000_000,
    ),
    (
        "docker.io/traefik/whoami",
        &["latest", "v1.10", "v1.10.1", "v1.11"],
        3_540_000,
    ),
    (
        "docker.io/hashicorp/http-echo",
        &["latest", "1.0", "1.0.0", "0.2.3"],
        4_020_000,
    ),
    (
        "registry.k8s.io/busybox",
        &["latest", "1.27.2", "1.24"],
        1_144_000,
    ),
    ("registry.k8s.io/pause", &["3.9", "3.10"], 320_000),
    (
        "registry.k8s.io/ingress-nginx/controller",
        &["v1.12.1", "v1.13.0", "v1.15.1"],
        105_600_000,
    ),
    (
        "docker.io/envoyproxy/gateway",
        &["v1.5.0", "v1.6.0", "v1.7.0", "v1.8.0", "v1.9.0"],
        38_400_000,
    ),
    (
        "docker.io/envoyproxy/envoy",
        &[
            "distroless-v1.35.0",
            "distroless-v1.36.0",
            "distroless-v1.37.0",
            "distroless-v1.38.0",
            "distroless-v1.39.0",
            "v1.39.0",
        ],
        62_700_000,
    ),
    (
        "registry.k8s.io/ingress-nginx/kube-webhook-certgen",
        &["v1.6.9"],
        27_300_000,
    ),
    (
        "registry.k8s.io/coredns/coredns",
        &["v1.11.1", "v1.11.3", "v1.12.0", "v1.12.1"],
        21_400_000,
    ),
    (
        "registry.k8s.io/etcd",
        &["3.5.15-0", "3.5.16-0", "3.6.4-0"],
        56_900_000,
    ),
    (
        "registry.k8s.io/kube-proxy",
        &["v1.32.0", "v1.33.0", "v1.34.0"],
        30_900_000,
    ),
    ("registry.k8s.io/kube-apiserver", &["v1.34.0"], 28_800_000),
    (
        "registry.k8s.io/kube-controller-manager",
        &["v1.34.0"],
        26_100_000,
    ),
    ("registry.k8s.io/kube-scheduler", &["v1.34.0"], 20_600_000),
    ("registry.k8s.io/echoserver", &["1.10", "1.4"], 44_000_000),
    (
        "registry.k8s.io/e2e-test-images/agnhost",
        &["2.39", "2.43", "2.52"],
        52_000_000,
    ),
    ("registry.k8s.io/hpa-example", &["latest"], 181_000_000),
    // The resource tasks' load generator (assign-memory-resource, assign-cpu-resource).
    ("docker.io/polinux/stress", &["latest", "1.0.4"], 4_041_325),
    ("docker.io/vish/stress", &["latest"], 2_900_000),
    (
        "registry.k8s.io/metrics-server/metrics-server",
        &["v0.7.1", "v0.7.2", "v0.8.0"],
        19_500_000,
    ),
    (
        "docker.io/kindest/kindnetd",
        &["v20250512-df8de77b"],
        44_400_000,
    ),
    // Debugging images the DNS guides use (kubectl exec into them): bind's dnsutils,
    // netshoot's everything, curl.
    (
        "registry.k8s.io/e2e-test-images/jessie-dnsutils",
        &["1.3", "1.5", "1.7"],
        68_200_000,
    ),
    ("docker.io/tutum/dnsutils", &["latest"], 76_800_000),
    ("docker.io/infoblox/dnsutils", &["latest"], 12_300_000),
    (
        "docker.io/nicolaka/netshoot",
        &["latest", "v0.11", "v0.12", "v0.13"],
        183_000_000,
    ),
    (
        "docker.io/curlimages/curl",
        &["latest", "8.5.0", "8.10.1", "8.11.1", "8.12.1"],
        10_300_000,
    ),
];

/// Why a pull failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullError {
    NotFound,
    Denied,
    Unreachable,
}

/// Looks an image up in the registry: its size, or why it cannot be pulled.
/// `missing` holds repositories or references a user marked missing (`sim registry`).
pub fn lookup(
    r: &ImageRef,
    registry_up: bool,
    missing: &std::collections::BTreeSet<String>,
) -> Result<u64, PullError> {
    if !registry_up {
        return Err(PullError::Unreachable);
    }
    if missing.contains(&r.repository()) || missing.contains(&r.full()) {
        return Err(PullError::NotFound);
    }
    let repo = r.repository();
    if let Some((_, tags, size)) = CATALOGUE.iter().find(|(name, _, _)| *name == repo) {
        if r.tag.is_none() && r.digest.is_some() {
            return Ok(*size);
        }
        let tag = r.tag_or_latest();
        if !tags.contains(&tag) {
            return Err(PullError::NotFound);
        }
        // Alpine variants are a fraction of the Debian-based size.
        return Ok(if tag.contains("alpine") {
            size / 3
        } else {
            *size + (fnv(tag) % 1_000_000) as u64
        });
    }
    // A typo of an official image (`ngnix`, `busybx`) is refused as Docker Hub refuses
    // it; any other repository (the seed's `hello-seattle`, your own) exists unless
    // marked missing with `sim registry missing`.
    if r.domain == "docker.io" && is_typo_of_official(&r.path) {
        return Err(PullError::Denied);
    }
    // Anything else (someone's own repository) exists unless marked missing.
    Ok(20_000_000 + (fnv(&r.full()) % 80_000_000) as u64)
}

/// Whether `library/<name>` is a near miss of an official image in the catalogue.
fn is_typo_of_official(path: &str) -> bool {
    let Some(name) = path.strip_prefix("library/") else {
        return false;
    };
    CATALOGUE
        .iter()
        .filter_map(|(repo, _, _)| repo.strip_prefix("docker.io/library/"))
        .any(|official| official != name && crate::sim::text::edit_distance(official, name) <= 2)
}

/// containerd's error text for a failed pull, after `Failed to pull image "<image>": `.
pub fn pull_error_message(r: &ImageRef, err: &PullError) -> String {
    let full = r.full();
    match err {
        PullError::NotFound => format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
        ),
        PullError::Denied => format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        ),
        PullError::Unreachable => {
            let host = if r.domain == "docker.io" { "registry-1.docker.io".to_string() } else { r.domain.clone() };
            let reference = r.tag.clone().or_else(|| r.digest.clone()).unwrap_or_else(|| "latest".into());
            format!(
                "rpc error: code = Unknown desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": failed to do request: Head \"https://{host}/v2/{}/manifests/{reference}\": dial tcp: lookup {host}: i/o timeout",
                r.path
            )
        }
    }
}

/// A stable digest for an image reference: `docker.io/library/nginx@sha256:…`.
pub fn image_id(r: &ImageRef) -> String {
    if let Some(d) = &r.digest {
        return format!("{}@{d}", r.repository());
    }
    let base = format!("{}:{}", r.repository(), r.tag_or_latest());
    let digest: String = (0..8)
        .map(|i| format!("{:08x}", fnv(&format!("{base}#{i}"))))
        .collect();
    format!("{}@sha256:{digest}", r.repository())
}

/// Images every node of the default cluster already holds (what kind preloads).
pub fn preloaded() -> Vec<String> {
    use crate::sim::bootstrap::{COREDNS_IMAGE, ETCD_IMAGE, KINDNET_IMAGE, KUBERNETES_VERSION};
    let mut v: Vec<String> = vec![
        COREDNS_IMAGE.into(),
        ETCD_IMAGE.into(),
        KINDNET_IMAGE.into(),
        "registry.k8s.io/pause:3.10".into(),
    ];
    for c in [
        "kube-proxy",
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
    ] {
        v.push(format!("registry.k8s.io/{c}:{KUBERNETES_VERSION}"));
    }
    v.iter()
        .filter_map(|i| parse(i).ok())
        .map(|r| r.full())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn normalises_names() {
        for (input, full) in [
            ("nginx", "docker.io/library/nginx:latest"),
            ("nginx:1.25", "docker.io/library/nginx:1.25"),
            ("traefik/whoami", "docker.io/traefik/whoami:latest"),
            ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
            ("localhost:5000/app:v1", "localhost:5000/app:v1"),
        ] {
            assert_eq!(
                parse(input).map(|r| r.full()),
                Ok(full.to_string()),
                "{input}"
            );
        }
        for bad in [
            "<your-private-image>",
            "Nginx",
            "nginx:",
            "nginx:bad tag",
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn registry_answers() {
        let none = BTreeSet::new();
        let look = |i: &str| lookup(&parse(i).expect("valid"), true, &none);
        assert!(look("nginx:1.25").is_ok());
        assert_eq!(look("nginx:1.99"), Err(PullError::NotFound));
        assert_eq!(look("ngnix"), Err(PullError::Denied));
        assert!(look("someone/app:v3").is_ok());
        assert_eq!(
            lookup(&parse("nginx").expect("valid"), false, &none),
            Err(PullError::Unreachable)
        );
    }
}
