//! `json!`, building the same `serde_json::Value` as serde_json's macro in a fraction of
//! the page's code.
//!
//! serde_json's `json!` expands every `"key": value` in place into a conversion, an
//! `unwrap` with its panic location, a map insert and the drop of the replaced entry:
//! about 150 bytes of wasm per key, and kubesim writes Kubernetes objects with over a
//! thousand `json!`s (the default cluster's bootstrap alone is 165 KB of code). This copy
//! of serde_json's macro (MIT OR Apache-2.0, serde-rs/json `src/macros.rs`) differs only in
//! its two leaves: a value is converted by [`to_json`] and an entry stored by [`insert`],
//! each compiled once per type instead of once per key. The `Value` built is identical.
//!
//! Use it as `use crate::sim::json::json;`.

use serde::Serialize;
use serde_json::{Map, Value};

pub use crate::json_small as json;

/// serde_json's `to_value(&value).unwrap()`: the same conversion, the same panic for a
/// value that is not JSON (a map with non-string keys), compiled once per type.
#[inline(never)]
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).expect("json!: the value serializes to JSON")
}

/// serde_json's `object.insert(key.into(), value)`, replacing an earlier entry of the same
/// key, as the macro does for a repeated key.
#[inline(never)]
pub fn insert<K: Into<String>>(object: &mut Map<String, Value>, key: K, value: Value) {
    object.insert(key.into(), value);
}

#[macro_export]
#[doc(hidden)]
macro_rules! json_small {
    ($($json:tt)+) => {
        $crate::json_small_internal!($($json)+)
    };
}

// serde_json's `json_internal!`, with `$crate` paths pointed at serde_json and kubesim.
#[macro_export]
#[doc(hidden)]
macro_rules! json_small_internal {
    (@array [$($elems:expr,)*]) => {
        ::std::vec![$($elems,)*]
    };
    (@array [$($elems:expr),*]) => {
        ::std::vec![$($elems),*]
    };
    (@array [$($elems:expr,)*] null $($rest:tt)*) => {
        $crate::json_small_internal!(@array [$($elems,)* $crate::json_small_internal!(null)] $($rest)*)
    };
    (@array [$($elems:expr,)*] true $($rest:tt)*) => {
        $crate::json_small_internal!(@array [$($elems,)* $crate::json_small_internal!(true)] $($rest)*)
    };
    (@array [$($elems:expr,)*] false $($rest:tt)*) => {
        $crate::json_small_internal!(@array [$($elems,)* $crate::json_small_internal!(false)] $($rest)*)
    };
    (@array [$($elems:expr,)*] [$($array:tt)*] $($rest:tt)*) => {
        $crate::json_small_internal!(@array [$($elems,)* $crate::json_small_internal!([$($array)*])] $($rest)*)
    };
    (@array [$($elems:expr,)*] {$($map:tt)*} $($rest:tt)*) => {
        $crate::json_small_internal!(@array [$($elems,)* $crate::json_small_internal!({$($map)*})] $($rest)*)
    };
    (@array [$($elems:expr,)*] $next:expr, $($rest:tt)*) => {
        $crate::json_small_internal!(@array [$($elems,)* $crate::json_small_internal!($next),] $($rest)*)
    };
    (@array [$($elems:expr,)*] $last:expr) => {
        $crate::json_small_internal!(@array [$($elems,)* $crate::json_small_internal!($last)])
    };
    (@array [$($elems:expr),*] , $($rest:tt)*) => {
        $crate::json_small_internal!(@array [$($elems,)*] $($rest)*)
    };
    (@array [$($elems:expr),*] $unexpected:tt $($rest:tt)*) => {
        ::serde_json::json_unexpected!($unexpected)
    };

    (@object $object:ident () () ()) => {};
    (@object $object:ident [$($key:tt)+] ($value:expr) , $($rest:tt)*) => {
        $crate::sim::json::insert(&mut $object, ($($key)+), $value);
        $crate::json_small_internal!(@object $object () ($($rest)*) ($($rest)*));
    };
    (@object $object:ident [$($key:tt)+] ($value:expr) $unexpected:tt $($rest:tt)*) => {
        ::serde_json::json_unexpected!($unexpected);
    };
    (@object $object:ident [$($key:tt)+] ($value:expr)) => {
        $crate::sim::json::insert(&mut $object, ($($key)+), $value);
    };
    (@object $object:ident ($($key:tt)+) (: null $($rest:tt)*) $copy:tt) => {
        $crate::json_small_internal!(@object $object [$($key)+] ($crate::json_small_internal!(null)) $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: true $($rest:tt)*) $copy:tt) => {
        $crate::json_small_internal!(@object $object [$($key)+] ($crate::json_small_internal!(true)) $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: false $($rest:tt)*) $copy:tt) => {
        $crate::json_small_internal!(@object $object [$($key)+] ($crate::json_small_internal!(false)) $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: [$($array:tt)*] $($rest:tt)*) $copy:tt) => {
        $crate::json_small_internal!(@object $object [$($key)+] ($crate::json_small_internal!([$($array)*])) $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: {$($map:tt)*} $($rest:tt)*) $copy:tt) => {
        $crate::json_small_internal!(@object $object [$($key)+] ($crate::json_small_internal!({$($map)*})) $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: $value:expr , $($rest:tt)*) $copy:tt) => {
        $crate::json_small_internal!(@object $object [$($key)+] ($crate::json_small_internal!($value)) , $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: $value:expr) $copy:tt) => {
        $crate::json_small_internal!(@object $object [$($key)+] ($crate::json_small_internal!($value)));
    };
    (@object $object:ident ($($key:tt)+) (:) $copy:tt) => {
        $crate::json_small_internal!();
    };
    (@object $object:ident ($($key:tt)+) () $copy:tt) => {
        $crate::json_small_internal!();
    };
    (@object $object:ident () (: $($rest:tt)*) ($colon:tt $($copy:tt)*)) => {
        ::serde_json::json_unexpected!($colon);
    };
    (@object $object:ident ($($key:tt)*) (, $($rest:tt)*) ($comma:tt $($copy:tt)*)) => {
        ::serde_json::json_unexpected!($comma);
    };
    (@object $object:ident () (($key:expr) : $($rest:tt)*) $copy:tt) => {
        $crate::json_small_internal!(@object $object ($key) (: $($rest)*) (: $($rest)*));
    };
    (@object $object:ident ($($key:tt)*) (: $($unexpected:tt)+) $copy:tt) => {
        ::serde_json::json_expect_expr_comma!($($unexpected)+);
    };
    (@object $object:ident ($($key:tt)*) ($tt:tt $($rest:tt)*) $copy:tt) => {
        $crate::json_small_internal!(@object $object ($($key)* $tt) ($($rest)*) ($($rest)*));
    };

    (null) => {
        ::serde_json::Value::Null
    };
    (true) => {
        ::serde_json::Value::Bool(true)
    };
    (false) => {
        ::serde_json::Value::Bool(false)
    };
    ([]) => {
        ::serde_json::Value::Array(::std::vec![])
    };
    ([ $($tt:tt)+ ]) => {
        ::serde_json::Value::Array($crate::json_small_internal!(@array [] $($tt)+))
    };
    ({}) => {
        ::serde_json::Value::Object(::serde_json::Map::new())
    };
    ({ $($tt:tt)+ }) => {
        ::serde_json::Value::Object({
            let mut object = ::serde_json::Map::new();
            $crate::json_small_internal!(@object object () ($($tt)+) ($($tt)+));
            object
        })
    };
    ($other:expr) => {
        $crate::sim::json::to_json(&$other)
    };
}

#[cfg(test)]
mod tests {
    use super::json;

    // The same values as serde_json's macro, for every form the macro takes.
    #[test]
    fn builds_what_serde_json_builds() {
        let name = String::from("web");
        let key = "dynamic";
        let replicas: i64 = 3;
        let ratio = 0.5_f64;
        let missing: Option<&str> = None;
        let list = vec!["a", "b"];
        let ours = json!({
            "apiVersion": "apps/v1", "name": name, (key): [1, "two", null, true, false, {}, []],
            "replicas": replicas, "ratio": ratio, "nan": f64::NAN, "missing": missing,
            "list": list, "nested": {"a": {"b": [{"c": -1}]}}, "dup": 1, "dup": 2,
            "formatted": format!("{name}-{replicas}"),
        });
        let theirs = serde_json::json!({
            "apiVersion": "apps/v1", "name": name, (key): [1, "two", null, true, false, {}, []],
            "replicas": replicas, "ratio": ratio, "nan": f64::NAN, "missing": missing,
            "list": list, "nested": {"a": {"b": [{"c": -1}]}}, "dup": 1, "dup": 2,
            "formatted": format!("{name}-{replicas}"),
        });
        assert_eq!(ours, theirs);
        assert_eq!(json!(null), serde_json::json!(null));
        assert_eq!(json!([]), serde_json::json!([]));
        assert_eq!(json!({}), serde_json::json!({}));
        assert_eq!(json!(name), serde_json::json!(name));
    }
}
