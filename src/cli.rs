//! The native command line: `kubesim run [--seed N] SCRIPT|-` and an interactive prompt.
pub fn main(_args: &[String]) -> i32 {
    0
}
