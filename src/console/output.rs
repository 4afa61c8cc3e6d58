//! What a console command prints: stdout and stderr chunks in the order they were
//! written (a terminal interleaves them; a pipe only carries stdout), plus an exit status.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<(Stream, String)>,
    pub status: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

impl Output {
    pub fn ok(text: impl Into<String>) -> Output {
        let mut o = Output::default();
        o.out(text);
        o
    }

    /// A failed command with a message on stderr (a newline is added if missing).
    pub fn fail(message: impl Into<String>) -> Output {
        let mut o = Output::default();
        o.err(message);
        o.status = 1;
        o
    }

    pub fn out(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.chunks.push((Stream::Out, text));
        }
    }

    /// Writes a line to stderr, adding the newline if missing.
    pub fn err(&mut self, text: impl Into<String>) {
        let mut text = text.into();
        if text.is_empty() {
            return;
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.chunks.push((Stream::Err, text));
    }

    /// Adds a failure message and marks the command failed.
    pub fn error(&mut self, text: impl Into<String>) {
        self.err(text);
        self.status = 1;
    }

    pub fn append(&mut self, other: Output) {
        self.chunks.extend(other.chunks);
        if other.status != 0 {
            self.status = other.status;
        }
    }

    pub fn stdout(&self) -> String {
        self.chunks
            .iter()
            .filter(|(s, _)| *s == Stream::Out)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    /// Everything, as a terminal shows it.
    pub fn text(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }
}
