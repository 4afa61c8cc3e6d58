//! Where `-f PATH` reads from: the disk next to a script for the native CLI, the editor's
//! named buffers in the browser. The console never does I/O itself; it asks its `Files`.

use std::collections::BTreeMap;

pub trait Files {
    /// The file's contents, or kubectl's error for a missing path
    /// (`the path "x.yaml" does not exist`).
    fn read(&self, path: &str) -> Result<String, String>;
    /// Files in a directory (for `-f DIR`), sorted; `None` if `path` is not a directory.
    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        let _ = path;
        None
    }
    /// Keeps a file kubectl writes (`kubectl edit`'s preserved changes); a workspace
    /// that cannot hold one ignores it.
    fn write(&mut self, path: &str, text: &str) {
        let _ = (path, text);
    }
    /// A copy for a forked console (the page's timeline keeps snapshots of its console).
    fn fork(&self) -> Box<dyn Files>;
}

/// An in-memory workspace (the page's editor buffers, and tests).
#[derive(Debug, Clone, Default)]
pub struct MemoryFiles {
    pub files: BTreeMap<String, String>,
}

impl Files for MemoryFiles {
    fn fork(&self) -> Box<dyn Files> {
        Box::new(self.clone())
    }

    fn write(&mut self, path: &str, text: &str) {
        self.files.insert(path.to_string(), text.to_string());
    }

    fn read(&self, path: &str) -> Result<String, String> {
        let key = path.trim_start_matches("./");
        self.files
            .get(key)
            .cloned()
            .ok_or_else(|| format!("the path \"{path}\" does not exist"))
    }

    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        let prefix = format!("{}/", path.trim_start_matches("./").trim_end_matches('/'));
        let names: Vec<String> = self
            .files
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect();
        (!names.is_empty()).then_some(names)
    }
}
