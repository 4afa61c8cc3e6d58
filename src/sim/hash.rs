//! `pod-template-hash` and `controller-revision-hash`: the real controllers take an
//! FNV-32a sum of the template and spell its decimal digits with `rand.SafeEncodeString`,
//! which is why such hashes only use the characters `4 5 6 7 8 9 b c d f`.

use serde_json::Value;

const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

fn fnv32a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= *b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// apimachinery's `rand.SafeEncodeString`.
pub fn safe_encode(s: &str) -> String {
    s.chars()
        .map(|c| ALPHANUMS[(c as usize) % ALPHANUMS.len()] as char)
        .collect()
}

/// `controller.ComputeHash(template, collisionCount)`.
pub fn compute_hash(template: &Value, collision_count: Option<i64>) -> String {
    let mut bytes = serde_json::to_vec(template).unwrap_or_default();
    if let Some(c) = collision_count {
        bytes.extend_from_slice(c.to_string().as_bytes());
    }
    safe_encode(&fnv32a(&bytes).to_string())
}

/// FNV-32a of a string (stable pseudo-digests for image IDs and the like).
pub fn fnv(s: &str) -> u32 {
    fnv32a(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hashes_use_the_digit_alphabet_and_are_stable() {
        let h = compute_hash(&json!({"spec": {"containers": [{"image": "nginx"}]}}), None);
        assert!(
            h.len() <= 10 && h.chars().all(|c| "456789bcdf".contains(c)),
            "{h}"
        );
        assert_eq!(
            h,
            compute_hash(&json!({"spec": {"containers": [{"image": "nginx"}]}}), None)
        );
        assert_ne!(
            h,
            compute_hash(
                &json!({"spec": {"containers": [{"image": "nginx:1.25"}]}}),
                None
            )
        );
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }
}
