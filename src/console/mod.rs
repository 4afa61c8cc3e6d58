//! The console language (design.md §4): kubectl verbs, shell conveniences and `sim`
//! controls, shared by the browser console and the native CLI.
//!
//! PLACEHOLDER: the real implementation is being written; the public surface below
//! (`Console::new`, `Console::execute`, `Console::run_script`) is the contract.

pub mod printers;

/// One console session: a simulated cluster plus the shell state around it.
pub struct Console {
    seed: u64,
}

impl Console {
    /// A fresh default cluster (design.md §3) with the given RNG seed.
    pub fn new(seed: u64) -> Console {
        Console { seed }
    }

    /// Runs one command (which may carry heredoc lines after its first line) and returns
    /// what it printed, stdout and stderr interleaved as a terminal shows them.
    pub fn execute(&mut self, command: &str) -> String {
        let _ = self.seed;
        format!("kubesim: {command}: not implemented yet\n")
    }

    /// Runs a whole script in the `kubesim run` transcript format.
    pub fn run_script(&mut self, script: &str) -> String {
        script
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| format!("$ {l}\n{}", self.execute(l)))
            .collect()
    }
}
