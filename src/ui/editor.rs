//! The YAML editor: one manifest buffer and an Apply button that sends it to the
//! console as `kubectl apply -f -` with a heredoc, exactly as a learner could type it.

use leptos::prelude::*;

use super::console_panel::Session;

const FILE_NAME: &str = "web.yaml";

const SAMPLE: &str = "\
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
";

/// The console command that applies `manifest`.
fn apply_command(manifest: &str) -> String {
    let body = manifest.trim_end_matches('\n');
    format!("kubectl apply -f - <<EOF\n{body}\nEOF")
}

#[component]
pub fn Editor(session: Session, open: RwSignal<bool>) -> impl IntoView {
    let text = RwSignal::new(SAMPLE.to_string());
    let line_count = move || text.with(|t| t.lines().count().max(1));
    let apply = move |_| {
        let manifest = text.get_untracked();
        session.run(
            &apply_command(&manifest),
            &format!("kubectl apply -f {FILE_NAME}"),
        );
    };

    view! {
        <aside
            id="editor"
            data-testid="editor"
            class="panel editor-panel"
            aria-label="YAML editor"
            hidden=move || !open.get()
        >
            <header class="panel-header">
                <h2 class="panel-title">"Editor"</h2>
                <span class="file-tab" data-testid="editor-file">{FILE_NAME}</span>
                <button
                    class="panel-button"
                    type="button"
                    aria-label="Close the editor"
                    on:click=move |_| open.set(false)
                >
                    "✕"
                </button>
            </header>
            <textarea
                id="editor-text"
                data-testid="editor-text"
                class="editor-text"
                spellcheck="false"
                autocomplete="off"
                wrap="off"
                aria-label=format!("Manifest {FILE_NAME}")
                prop:value=move || text.get()
                on:input=move |event| text.set(event_target_value(&event))
            ></textarea>
            <footer class="panel-footer">
                <span class="panel-hint">{move || format!("{} lines · YAML", line_count())}</span>
                <button
                    id="editor-apply"
                    data-testid="editor-apply"
                    class="primary-button"
                    type="button"
                    on:click=apply
                >
                    "Apply"
                </button>
            </footer>
        </aside>
    }
}
