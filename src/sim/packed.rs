//! A stored object packed into a few bytes, for the versions only history still holds.
//!
//! A `serde_json::Value` costs several times its JSON text: every string and key is a
//! heap allocation, every object a B-tree whose smallest node holds room for eleven
//! entries (so `{"f:name": {}}`, of which managedFields hold hundreds, takes over half a
//! kilobyte). The watch log keeps every version of every object until etcd's compaction
//! (between 5 and 10 minutes of history), and once the components have read a version
//! and the object map has moved on, only a watch from an old revision can still ask for
//! it. [`Packed`] holds such a version as a compact byte string — a tag per value,
//! lengths as varints, numbers as they were stored (`u64`, `i64` or the bits of an
//! `f64`), and each string written once: a string met again (`f:type`, `.`, `True`, a
//! timestamp, which managedFields and conditions repeat) is the varint of its first
//! place — and [`Packed::unpack`] gives back a `Value` equal to the one packed, key
//! order and number representation included (a property test holds it to that).

use rustc_hash::FxHashMap;
use serde_json::{Map, Number, Value};
use std::sync::Arc;

/// A `Value` packed into bytes; shared (`Arc`) so that forking a store copies none.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Packed(Arc<[u8]>);

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const UNSIGNED: u8 = 3;
const NEGATIVE: u8 = 4;
const FLOAT: u8 = 5;
const STRING: u8 = 6;
const ARRAY: u8 = 7;
const OBJECT: u8 = 8;

impl Packed {
    pub fn pack(value: &Value) -> Packed {
        Packed::pack_with(&[], value)
    }

    /// [`Packed::pack`], with a few strings ahead of the value (the watch log's event
    /// type and key).
    pub fn pack_with(strings: &[&str], value: &Value) -> Packed {
        let mut writer = Writer::default();
        for s in strings {
            writer.string(s);
        }
        writer.value(value);
        Packed(writer.out.into())
    }

    /// The value packed, equal to the one given to [`Packed::pack`].
    pub fn unpack(&self) -> Value {
        self.unpack_with(0).1
    }

    /// The `count` strings and the value given to [`Packed::pack_with`].
    pub fn unpack_with(&self, count: usize) -> (Vec<String>, Value) {
        let mut reader = Reader {
            bytes: &self.0,
            at: 0,
            seen: Vec::with_capacity(64),
        };
        let strings = (0..count).map(|_| reader.string()).collect();
        (strings, reader.value())
    }

    /// How many holders share these bytes.
    pub fn shared(&self) -> usize {
        Arc::strong_count(&self.0)
    }

    /// Where the bytes are: the same place for every holder of one packing.
    pub fn as_ptr(&self) -> *const u8 {
        self.0.as_ptr()
    }

    /// Bytes held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn write_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Writes values, each string once: the strings met so far, by place (a hash map: an
/// ordered map's string comparisons were an eighth of a 3,000-pod run).
struct Writer<'v> {
    out: Vec<u8>,
    seen: FxHashMap<&'v str, u64>,
}

impl Default for Writer<'_> {
    /// Room for a pod's distinct strings from the start: grown from empty, the table
    /// was rehashed six times per packing, a tenth of what packing cost.
    fn default() -> Self {
        Writer {
            out: Vec::with_capacity(512),
            seen: FxHashMap::with_capacity_and_hasher(128, Default::default()),
        }
    }
}

impl<'v> Writer<'v> {
    /// A string met before as `1 + its place`; a new one as `0`, its length, its bytes.
    fn string(&mut self, s: &'v str) {
        if let Some(place) = self.seen.get(s) {
            write_varint(&mut self.out, place + 1);
            return;
        }
        let place = self.seen.len() as u64;
        self.seen.insert(s, place);
        write_varint(&mut self.out, 0);
        write_varint(&mut self.out, s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }

    fn value(&mut self, value: &'v Value) {
        let out = &mut self.out;
        match value {
            Value::Null => out.push(NULL),
            Value::Bool(false) => out.push(FALSE),
            Value::Bool(true) => out.push(TRUE),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    out.push(UNSIGNED);
                    write_varint(out, u);
                } else if let Some(i) = n.as_i64() {
                    // Negative (serde_json holds a non-negative integer as a u64).
                    out.push(NEGATIVE);
                    write_varint(out, i.unsigned_abs());
                } else {
                    let f = n.as_f64().expect("a Number is u64, i64 or f64");
                    out.push(FLOAT);
                    out.extend_from_slice(&f.to_bits().to_le_bytes());
                }
            }
            Value::String(s) => {
                out.push(STRING);
                self.string(s);
            }
            Value::Array(items) => {
                out.push(ARRAY);
                write_varint(out, items.len() as u64);
                for item in items {
                    self.value(item);
                }
            }
            Value::Object(map) => {
                out.push(OBJECT);
                write_varint(out, map.len() as u64);
                for (key, item) in map {
                    self.string(key);
                    self.value(item);
                }
            }
        }
    }
}

/// Reads back what a [`Writer`] wrote. The bytes are only ever ours, so a malformed
/// byte string is a bug, not input: it panics.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The strings read so far, by place.
    seen: Vec<&'a str>,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes[self.at];
        self.at += 1;
        b
    }

    fn varint(&mut self) -> u64 {
        let mut n = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte();
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return n;
            }
            shift += 7;
        }
    }

    fn len(&mut self) -> usize {
        usize::try_from(self.varint()).expect("a length we wrote fits")
    }

    fn string(&mut self) -> String {
        let place = self.len();
        if place > 0 {
            return self.seen[place - 1].to_string();
        }
        let len = self.len();
        let bytes: &'a [u8] = self.bytes;
        let s = std::str::from_utf8(&bytes[self.at..self.at + len]).expect("we packed a str");
        self.at += len;
        self.seen.push(s);
        s.to_string()
    }

    fn value(&mut self) -> Value {
        match self.byte() {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            UNSIGNED => Value::Number(Number::from(self.varint())),
            NEGATIVE => {
                let magnitude = self.varint();
                // i64::MIN's magnitude does not fit an i64: negate in i128.
                let n = i64::try_from(-i128::from(magnitude)).expect("we packed an i64");
                Value::Number(Number::from(n))
            }
            FLOAT => {
                let mut bits = [0u8; 8];
                bits.copy_from_slice(&self.bytes[self.at..self.at + 8]);
                self.at += 8;
                let f = f64::from_bits(u64::from_le_bytes(bits));
                Value::Number(Number::from_f64(f).expect("we packed a finite f64"))
            }
            STRING => Value::String(self.string()),
            ARRAY => {
                let len = self.len();
                Value::Array((0..len).map(|_| self.value()).collect())
            }
            OBJECT => {
                let len = self.len();
                // Collected rather than inserted one by one: the keys come in the
                // order they were written, and a B-tree built from a sorted run is
                // put together in one pass instead of searched from the root per key.
                let map: Map<String, Value> = (0..len)
                    .map(|_| {
                        let key = self.string();
                        (key, self.value())
                    })
                    .collect();
                Value::Object(map)
            }
            tag => panic!("not a packed value: tag {tag}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<u64>().prop_map(|n| json!(n)),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>()
                .prop_filter("JSON numbers are finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::btree_map(".{0,8}", inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn a_pod_comes_back_as_it_went_in() {
        let pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web-1", "labels": {"app": "web"}, "generation": 1,
                         "managedFields": [{"fieldsV1": {"f:metadata": {"f:labels": {".": {}}}}}]},
            "spec": {"containers": [{"name": "nginx", "ports": [{"containerPort": 80}]}],
                     "priority": 0, "terminationGracePeriodSeconds": 30},
            "status": {"phase": "Running", "podIP": null, "ready": true, "cpu": 0.25, "delta": -3}
        });
        let packed = Packed::pack(&pod);
        assert_eq!(packed.unpack(), pod);
        let with = Packed::pack_with(&["MODIFIED", "", "pods"], &pod);
        let strings = vec!["MODIFIED".to_string(), String::new(), "pods".to_string()];
        assert_eq!(with.unpack_with(3), (strings, pod.clone()));
        let text = serde_json::to_vec(&pod).expect("serialises");
        assert!(
            packed.len() < text.len(),
            "{} ≥ {}",
            packed.len(),
            text.len()
        );
        // A string met again costs its place, not its bytes.
        let time = "2026-11-30T12:00:00Z";
        let once = Packed::pack(&json!([time])).len();
        let four = Packed::pack(&json!([time, time, time, time])).len();
        assert_eq!(four, once + 3 * 2, "a tag and a one-byte place per repeat");
    }

    proptest! {
        /// Unpacking gives back the same value and the same bytes as JSON (so key
        /// order and every number's representation survive).
        #[test]
        fn unpack_inverts_pack(v in value()) {
            let back = Packed::pack(&v).unpack();
            prop_assert_eq!(serde_json::to_string(&back).unwrap(), serde_json::to_string(&v).unwrap());
            prop_assert_eq!(back, v);
        }
    }
}
