//! The desktop's file chooser (rfd) for a dialog's path field. The chooser blocks, so it runs
//! on the runtime's blocking pool; the dialog polls for the answer each frame and keeps its
//! typed path as the fallback where there is no chooser. Whether there is one, and where the
//! user keeps files, is the [`Desktop`] the app was given (read from the environment by
//! `main`, given by tests), never looked up here.

use crate::ui::Bg;
use std::path::{Path, PathBuf};
use tokio::sync::oneshot;

/// The user's desktop as far as dialogs care: where files go and whether a system file
/// chooser can be asked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Desktop {
    /// The user's download directory (XDG `DOWNLOAD`), if there is one.
    pub download_dir: Option<PathBuf>,
    /// The user's home directory.
    pub home_dir: Option<PathBuf>,
    /// A file chooser answers: the desktop portal (a session bus) or zenity.
    pub file_chooser: bool,
}

impl Desktop {
    /// This process's desktop: the XDG user directories, and a chooser when there is a
    /// session bus for the portal or `zenity` on `PATH` (rfd's two ways to ask). Called once
    /// by `main`, before the window opens.
    #[must_use]
    pub fn from_env() -> Self {
        let dirs = directories::UserDirs::new();
        let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
            || std::env::var_os("XDG_RUNTIME_DIR")
                .is_some_and(|d| Path::new(&d).join("bus").exists());
        let zenity = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("zenity").is_file()));
        Self {
            // A configured download directory that does not exist would make an export fail.
            download_dir: dirs
                .as_ref()
                .and_then(|d| d.download_dir().map(Path::to_path_buf))
                .filter(|d| d.is_dir()),
            home_dir: dirs.as_ref().map(|d| d.home_dir().to_path_buf()),
            file_chooser: bus || zenity,
        }
    }

    /// Where a file the user saves is suggested: the download directory, else home.
    #[must_use]
    pub fn save_dir(&self) -> Option<&Path> {
        self.download_dir.as_deref().or(self.home_dir.as_deref())
    }
}

/// What the chooser is for.
pub enum PickKind {
    /// A file to write, with a suggested name.
    Save { file_name: String },
    /// An existing file to read.
    Open,
    /// A JSON file to write (an SBOM), with a suggested name.
    SaveJson { file_name: String },
    /// Any file to write (not only a tar), with a suggested name.
    SaveAny { file_name: String },
    /// An existing folder.
    Folder,
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
    /// "Browse…" was clicked where there is no chooser: the row says so.
    no_chooser: bool,
}

impl FilePick {
    /// Opens the chooser (for `.tar` files, unless `kind` says otherwise), titled `title`.
    pub fn start(&mut self, bg: &Bg, title: String, kind: PickKind) {
        if !bg.desktop.file_chooser {
            self.no_chooser = true;
            return;
        }
        let (tx, rx) = oneshot::channel();
        let repaint = std::sync::Arc::clone(&bg.repaint);
        bg.rt.spawn_blocking(move || {
            let dialog = rfd::FileDialog::new().set_title(title);
            let tar = |d: rfd::FileDialog| d.add_filter("tar", &["tar"]);
            let file = match kind {
                PickKind::Save { file_name } => tar(dialog).set_file_name(file_name).save_file(),
                PickKind::Open => tar(dialog).pick_file(),
                PickKind::SaveAny { file_name } => dialog.set_file_name(file_name).save_file(),
                PickKind::Folder => dialog.pick_folder(),
                PickKind::SaveJson { file_name } => dialog
                    .add_filter("JSON", &["json"])
                    .set_file_name(file_name)
                    .save_file(),
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
        self.no_chooser_note(ui);
    }

    /// After a "Browse…" click with no chooser: says so, and what to do instead.
    pub fn no_chooser_note(&self, ui: &mut egui::Ui) {
        if self.no_chooser {
            ui.label(
                egui::RichText::new(crate::tr!("dialog-no-file-chooser"))
                    .small()
                    .color(crate::ui::shell::theme::tone(
                        ui,
                        crate::ui::shell::theme::Tone::Warn,
                    )),
            );
        }
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
