//! Share links: the seed, every command with the virtual time it was typed at, the
//! moment being looked at and the editor's buffer, carried in the URL's fragment
//! (`#share=…`, deflate-compressed and base64url-encoded by share.js). The simulation is
//! deterministic, so replaying the commands at their times reaches the very same moment:
//! the same pods with the same names. The fragment never reaches a server.
//!
//! Pure (no web crates): what a link holds, and the checks that turn a damaged or hostile
//! one into a message, are tested natively.

use crate::sim::json::json;
use serde_json::Value;

use super::cluster_size::{DEFAULT_WORKERS, MAX_WORKERS};
use super::timeline::Recorded;
use crate::sim::time::Millis;

/// The fragment's prefix.
pub const PREFIX: &str = "#share=";
/// The longest link the page makes or opens, in characters. Browsers take far longer
/// URLs, but chat tools and QR codes do not; a session longer than this is better saved
/// as a transcript.
pub const MAX_LINK: usize = 32 * 1024;
/// What a link may hold once decompressed: commands and their total text, the editor's
/// buffer, and how far it may go in virtual time (a day).
pub const MAX_COMMANDS: usize = 2_000;
pub const MAX_TEXT: usize = 256 * 1024;
pub const MAX_MILLIS: Millis = 24 * 3600 * 1000;

/// What a share link holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shared {
    pub seed: u64,
    /// The cluster's worker nodes (`?workers=`, see [`super::cluster_size`]).
    pub workers: usize,
    /// The moment to open at.
    pub now: Millis,
    pub commands: Vec<Recorded>,
    pub editor: String,
    /// Set in the link the page makes to restart itself after a bug (see
    /// `ui::recovery`): the command that crashed it, left out of `commands`.
    pub crashed: Option<String>,
}

impl Shared {
    /// The JSON a link carries (before compression): `{"v":1,"seed":…,"now":…,
    /// "commands":[[at,"line"],…],"editor":"…"}`, `"workers":N` when the cluster is not
    /// the default size, and `"crashed":"line"` in a restart's.
    pub fn to_json(&self) -> String {
        let commands: Vec<Value> = self
            .commands
            .iter()
            .map(|c| json!([c.at, c.line]))
            .collect();
        let mut value = json!({
            "v": 1,
            "seed": self.seed,
            "now": self.now,
            "commands": commands,
            "editor": self.editor,
        });
        if self.workers != DEFAULT_WORKERS {
            value["workers"] = json!(self.workers);
        }
        if let Some(line) = &self.crashed {
            value["crashed"] = json!(line);
        }
        value.to_string()
    }

    /// Reads a link's JSON, refusing anything a link made by this page could not hold.
    pub fn from_json(text: &str) -> Result<Shared, String> {
        if text.len() > MAX_TEXT * 2 {
            return Err(format!(
                "it holds {} KiB, more than a link may",
                text.len() / 1024
            ));
        }
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("it is not a kubesim session ({e})"))?;
        let version = value.get("v").and_then(Value::as_u64);
        if version != Some(1) {
            return Err(match version {
                Some(v) => format!("it was made by a newer kubesim (format {v})"),
                None => "it is not a kubesim session (no format version)".to_string(),
            });
        }
        let number = |field: &str| {
            value
                .get(field)
                .and_then(Value::as_u64)
                .ok_or_else(|| format!("its field \"{field}\" is missing or not a number"))
        };
        let seed = number("seed")?;
        // Links made before clusters had sizes (and of the default one) do not say.
        let workers = match value.get("workers") {
            None => DEFAULT_WORKERS,
            Some(n) => match n.as_u64() {
                Some(n) if (1..=MAX_WORKERS as u64).contains(&n) => n as usize,
                _ => {
                    return Err(format!(
                    "its field \"workers\" is not a number of worker nodes from 1 to {MAX_WORKERS}"
                ))
                }
            },
        };
        let now = number("now")?;
        if now > MAX_MILLIS {
            return Err(format!(
                "its moment ({now} ms) is beyond a day of virtual time"
            ));
        }
        let editor = match value.get("editor") {
            None => String::new(),
            Some(Value::String(s)) if s.len() <= MAX_TEXT => s.clone(),
            Some(Value::String(_)) => return Err("its editor buffer is too long".to_string()),
            Some(_) => return Err("its field \"editor\" is not text".to_string()),
        };
        let crashed = match value.get("crashed") {
            None => None,
            Some(Value::String(s)) if s.len() <= MAX_TEXT => Some(s.clone()),
            Some(Value::String(_)) => return Err("its crashed command is too long".to_string()),
            Some(_) => return Err("its field \"crashed\" is not text".to_string()),
        };
        let list = value
            .get("commands")
            .and_then(Value::as_array)
            .ok_or("its field \"commands\" is missing or not a list")?;
        if list.len() > MAX_COMMANDS {
            return Err(format!(
                "it holds {} commands, more than {MAX_COMMANDS}",
                list.len()
            ));
        }
        let mut commands = Vec::with_capacity(list.len());
        let mut previous = 0;
        let mut total = 0;
        for (i, item) in list.iter().enumerate() {
            let n = i + 1;
            let (Some(at), Some(line)) = (
                item.get(0).and_then(Value::as_u64),
                item.get(1).and_then(Value::as_str),
            ) else {
                return Err(format!("its command {n} is not [time, \"command\"]"));
            };
            if at < previous || at > now {
                return Err(format!("its command {n} is out of order in time"));
            }
            total += line.len();
            if total > MAX_TEXT {
                return Err("its commands are too long".to_string());
            }
            previous = at;
            commands.push(Recorded {
                at,
                line: line.to_string(),
            });
        }
        Ok(Shared {
            seed,
            workers,
            now,
            commands,
            editor,
            crashed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Shared {
        Shared {
            seed: 1,
            workers: DEFAULT_WORKERS,
            now: 12_500,
            commands: vec![
                Recorded {
                    at: 0,
                    line: "kubectl create deployment hello --image=nginx:1.27".to_string(),
                },
                Recorded {
                    at: 4_000,
                    line: "kubectl scale deploy hello --replicas=5 # \"quoted\" <b>".to_string(),
                },
            ],
            editor: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n".to_string(),
            crashed: None,
        }
    }

    #[test]
    fn a_session_survives_the_round_trip() {
        let shared = sample();
        assert_eq!(Shared::from_json(&shared.to_json()), Ok(shared));
        let restart = Shared {
            crashed: Some("sim debug panic".to_string()),
            ..sample()
        };
        assert!(restart
            .to_json()
            .contains("\"crashed\":\"sim debug panic\""));
        assert_eq!(Shared::from_json(&restart.to_json()), Ok(restart));
        let big = Shared {
            workers: 1000,
            ..sample()
        };
        assert!(big.to_json().contains("\"workers\":1000"));
        assert_eq!(Shared::from_json(&big.to_json()), Ok(big));
        // The default cluster's links stay as they were before clusters had sizes.
        assert!(!sample().to_json().contains("workers"));
    }

    #[test]
    fn damaged_and_hostile_links_are_messages() {
        let cases = [
            ("", "it is not a kubesim session"),
            ("{\"v\":2}", "made by a newer kubesim (format 2)"),
            ("[1,2]", "no format version"),
            ("{\"v\":1,\"now\":5,\"commands\":[]}", "\"seed\" is missing"),
            (
                "{\"v\":1,\"seed\":1,\"now\":5,\"commands\":{}}",
                "\"commands\" is missing or not a list",
            ),
            (
                "{\"v\":1,\"seed\":1,\"now\":5,\"commands\":[[1]]}",
                "command 1 is not [time, \"command\"]",
            ),
            (
                "{\"v\":1,\"seed\":1,\"now\":5,\"commands\":[[3,\"a\"],[2,\"b\"]]}",
                "command 2 is out of order",
            ),
            (
                "{\"v\":1,\"seed\":1,\"now\":5,\"commands\":[[9,\"a\"]]}",
                "command 1 is out of order",
            ),
            (
                "{\"v\":1,\"seed\":1,\"now\":999999999999,\"commands\":[]}",
                "beyond a day",
            ),
            (
                "{\"v\":1,\"seed\":1,\"now\":5,\"commands\":[],\"editor\":7}",
                "\"editor\" is not text",
            ),
            (
                "{\"v\":1,\"seed\":1,\"now\":5,\"commands\":[],\"crashed\":[]}",
                "\"crashed\" is not text",
            ),
            (
                "{\"v\":1,\"seed\":1,\"workers\":1024,\"now\":5,\"commands\":[]}",
                "\"workers\" is not a number of worker nodes from 1 to 1023",
            ),
            (
                "{\"v\":1,\"seed\":1,\"workers\":\"many\",\"now\":5,\"commands\":[]}",
                "\"workers\" is not a number",
            ),
        ];
        for (json, message) in cases {
            let error = Shared::from_json(json).expect_err(json);
            assert!(error.contains(message), "{json}: {error}");
        }
        let many = format!(
            "{{\"v\":1,\"seed\":1,\"now\":5,\"commands\":[{}]}}",
            vec!["[0,\"x\"]"; MAX_COMMANDS + 1].join(",")
        );
        assert!(Shared::from_json(&many)
            .unwrap_err()
            .contains("2001 commands"));
    }
}
