//! The desktop's file chooser (rfd) for a dialog's path field. The chooser blocks, so it runs
//! on the runtime's blocking pool; the dialog polls for the answer each frame and keeps its
//! typed path as the fallback where there is no chooser.

use crate::ui::Bg;
use std::path::PathBuf;
use tokio::sync::oneshot;

/// What the chooser is for.
pub enum PickKind {
    /// A file to write, with a suggested name.
    Save { file_name: String },
    /// An existing file to read.
    Open,
}

/// The words around a path field: its label, its placeholder, the chooser's title.
pub struct PathRowText {
    pub label: String,
    pub hint: String,
    pub title: String,
}

#[derive(Default)]
pub struct FilePick {
    rx: Option<oneshot::Receiver<Option<PathBuf>>>,
}

impl FilePick {
    /// Opens the chooser for `.tar` files, titled `title`.
    pub fn start(&mut self, bg: &Bg, title: String, kind: PickKind) {
        let (tx, rx) = oneshot::channel();
        let repaint = std::sync::Arc::clone(&bg.repaint);
        bg.rt.spawn_blocking(move || {
            let dialog = rfd::FileDialog::new()
                .set_title(title)
                .add_filter("tar", &["tar"]);
            let file = match kind {
                PickKind::Save { file_name } => dialog.set_file_name(file_name).save_file(),
                PickKind::Open => dialog.pick_file(),
            };
            let _ = tx.send(file);
            repaint();
        });
        self.rx = Some(rx);
    }

    /// `label` over a path field (typed into `file`) and a "Browse…" button that opens the
    /// chooser (off while one is open); the chosen path lands in `file` through `poll`.
    pub fn path_row(
        &mut self,
        ui: &mut egui::Ui,
        bg: &Bg,
        file: &mut String,
        text: &PathRowText,
        kind: impl FnOnce() -> PickKind,
    ) {
        let label = ui.label(text.label.as_str());
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(file)
                    .hint_text(text.hint.as_str())
                    .desired_width(340.0),
            )
            .labelled_by(label.id);
            let browse = egui::Button::new(crate::tr!("dialog-browse"));
            if ui.add_enabled(!self.is_open(), browse).clicked() {
                self.start(bg, text.title.clone(), kind());
            }
        });
    }

    /// Whether a chooser is open now.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.rx.is_some()
    }

    /// The chosen path, once, when the chooser has closed with one.
    pub fn poll(&mut self) -> Option<PathBuf> {
        let rx = self.rx.as_mut()?;
        match rx.try_recv() {
            Ok(file) => {
                self.rx = None;
                file
            }
            Err(oneshot::error::TryRecvError::Closed) => {
                self.rx = None;
                None
            }
            Err(oneshot::error::TryRecvError::Empty) => None,
        }
    }
}
