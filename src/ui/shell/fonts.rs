//! Fonts for text in any script. egui's built-in fonts have no Hangul, Han or Kana, so at
//! startup a named thread finds an installed font that has them (fontdb) and reads it; the
//! app adds it as a fallback when it arrives, so the first frame is never delayed.

use std::path::PathBuf;
use std::sync::mpsc;

/// Where to look for fallback fonts.
#[derive(Clone, Debug, Default)]
pub enum FontSource {
    /// The system's font directories (fontconfig's list).
    #[default]
    System,
    /// Only these directories or font files (`BERTH_FONT_DIRS`, the settings; tests point
    /// at a fixed font file, or at an empty directory). A font file given by name is used
    /// even when its family is not one of the known CJK families.
    Dirs(Vec<PathBuf>),
    /// Do not look.
    Off,
}

/// The variable that names font directories (or files), `:`-separated like `PATH`.
pub const FONT_DIRS_ENV: &str = "BERTH_FONT_DIRS";

impl FontSource {
    /// `BERTH_FONT_DIRS` when set and not empty, else the system's fonts. Read once by
    /// `main`; the window takes the result through its options.
    #[must_use]
    pub fn from_env() -> Self {
        Self::from_env_value(std::env::var_os(FONT_DIRS_ENV).as_deref())
    }

    /// What a value of `BERTH_FONT_DIRS` means (empty parts are skipped).
    #[must_use]
    pub fn from_env_value(value: Option<&std::ffi::OsStr>) -> Self {
        match value {
            Some(v) if !v.is_empty() => Self::Dirs(
                std::env::split_paths(v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect(),
            ),
            _ => Self::System,
        }
    }

    /// The settings' font file and directories replace the system's fonts when the run did
    /// not name any (`BERTH_FONT_DIRS`, or a test's own source wins).
    #[must_use]
    pub fn with_settings(self, settings: &crate::settings::Settings) -> Self {
        if !matches!(self, Self::System) {
            return self;
        }
        let paths: Vec<PathBuf> = settings
            .font_file
            .iter()
            .chain(&settings.font_dirs)
            .filter(|p| !p.as_os_str().is_empty())
            .cloned()
            .collect();
        if paths.is_empty() {
            self
        } else {
            Self::Dirs(paths)
        }
    }
}

/// A font file with Hangul on Debian and Ubuntu (`fonts-nanum`), shown as an example.
pub const EXAMPLE_FILE: &str = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf";

/// Families tried in order for proportional text; the first one installed wins.
const PROPORTIONAL: &[&str] = &[
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Source Han Sans KR",
    "NanumGothic",
    "NanumBarunGothic",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
];

/// Coding fonts with Hangul, preferred for monospace views.
const MONOSPACE: &[&str] = &[
    "NanumGothicCoding",
    "D2Coding",
    "Noto Sans Mono CJK KR",
    "Sarasa Mono K",
];

struct Found {
    name: String,
    data: Vec<u8>,
    index: u32,
}

struct Loaded {
    proportional: Option<Found>,
    monospace: Option<Found>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FontStatus {
    Loading,
    /// The family used for CJK text.
    Ready(String),
    /// No font with Hangul was found; the hint names the package to install.
    Missing,
    Off,
}

pub struct FontLoader {
    rx: Option<mpsc::Receiver<Loaded>>,
    pub status: FontStatus,
}

impl FontLoader {
    /// Starts looking on a background thread; `repaint` wakes the UI when done.
    pub fn start(source: FontSource, repaint: crate::ui::kit::requested::Repaint) -> Self {
        if matches!(source, FontSource::Off) {
            return Self {
                rx: None,
                status: FontStatus::Off,
            };
        }
        let (tx, rx) = mpsc::sync_channel(1);
        let spawned = std::thread::Builder::new()
            .name("berth-fonts".to_owned())
            .spawn(move || {
                let _ = tx.send(find(&source));
                repaint();
            });
        let status = if spawned.is_ok() {
            FontStatus::Loading
        } else {
            FontStatus::Missing
        };
        Self {
            rx: Some(rx),
            status,
        }
    }

    /// Installs the fonts once they are read. Returns true when the status changed.
    pub fn poll(&mut self, ctx: &egui::Context) -> bool {
        let Some(rx) = &self.rx else { return false };
        let loaded = match rx.try_recv() {
            Ok(l) => l,
            Err(mpsc::TryRecvError::Empty) => return false,
            Err(mpsc::TryRecvError::Disconnected) => Loaded {
                proportional: None,
                monospace: None,
            },
        };
        self.rx = None;
        let Some(main) = loaded.proportional else {
            // A coding font alone still beats boxes.
            self.status = match loaded.monospace {
                Some(mono) => {
                    let name = mono.name.clone();
                    install(ctx, mono, true, true);
                    FontStatus::Ready(name)
                }
                None => FontStatus::Missing,
            };
            return true;
        };
        let name = main.name.clone();
        let has_mono = loaded.monospace.is_some();
        install(ctx, main, true, !has_mono);
        if let Some(mono) = loaded.monospace {
            install(ctx, mono, false, true);
        }
        self.status = FontStatus::Ready(name);
        true
    }
}

fn install(ctx: &egui::Context, found: Found, proportional: bool, monospace: bool) {
    use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
    let mut families = Vec::new();
    if proportional {
        families.push(InsertFontFamily {
            family: egui::FontFamily::Proportional,
            priority: FontPriority::Lowest,
        });
    }
    if monospace {
        families.push(InsertFontFamily {
            family: egui::FontFamily::Monospace,
            priority: FontPriority::Lowest,
        });
    }
    let mut data = egui::FontData::from_owned(found.data);
    data.index = found.index;
    ctx.add_font(FontInsert::new(
        &format!("berth-cjk-{}", found.name),
        data,
        families,
    ));
}

fn find(source: &FontSource) -> Loaded {
    let mut db = fontdb::Database::new();
    let mut files = Vec::new();
    match source {
        FontSource::System => db.load_system_fonts(),
        FontSource::Dirs(paths) => {
            for p in paths {
                if p.is_file() {
                    if let Err(e) = db.load_font_file(p) {
                        tracing::warn!(path = %p.display(), error = %e, "cannot read font file");
                    }
                    files.push(p.clone());
                } else {
                    db.load_fonts_dir(p);
                }
            }
        }
        FontSource::Off => {}
    }
    let pick = |names: &[&str]| -> Option<Found> {
        for wanted in names {
            let Some(face) = db.faces().find(|f| {
                f.families.iter().any(|(n, _)| n == wanted)
                    && f.weight == fontdb::Weight::NORMAL
                    && f.style == fontdb::Style::Normal
            }) else {
                continue;
            };
            let read = db.with_face_data(face.id, |data, index| (data.to_vec(), index));
            if let Some((data, index)) = read {
                return Some(Found {
                    name: (*wanted).to_owned(),
                    data,
                    index,
                });
            }
        }
        None
    };
    // A font file chosen by name is used whatever its family is called.
    let chosen = || -> Option<Found> {
        let face = db
            .faces()
            .find(|f| matches!(&f.source, fontdb::Source::File(p) if files.contains(p)))?;
        let name = face
            .families
            .first()
            .map_or_else(|| "font".to_owned(), |(n, _)| n.clone());
        let (data, index) = db.with_face_data(face.id, |data, index| (data.to_vec(), index))?;
        Some(Found { name, data, index })
    };
    Loaded {
        proportional: pick(PROPORTIONAL).or_else(chosen),
        monospace: pick(MONOSPACE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn env_value_names_dirs() {
        assert!(matches!(
            FontSource::from_env_value(None),
            FontSource::System
        ));
        assert!(matches!(
            FontSource::from_env_value(Some(OsStr::new(""))),
            FontSource::System
        ));
        let FontSource::Dirs(dirs) =
            FontSource::from_env_value(Some(OsStr::new("/a/fonts::/b/x.ttf")))
        else {
            panic!("dirs expected");
        };
        assert_eq!(dirs, [PathBuf::from("/a/fonts"), PathBuf::from("/b/x.ttf")]);
    }

    #[test]
    fn settings_apply_only_without_a_run_source() {
        let settings = crate::settings::Settings {
            font_file: Some("/f/one.ttf".into()),
            font_dirs: vec!["/f/dir".into()],
            ..Default::default()
        };
        let FontSource::Dirs(dirs) = FontSource::System.with_settings(&settings) else {
            panic!("dirs expected");
        };
        assert_eq!(dirs, [PathBuf::from("/f/one.ttf"), PathBuf::from("/f/dir")]);
        let run = FontSource::Dirs(vec!["/env".into()]);
        let FontSource::Dirs(dirs) = run.with_settings(&settings) else {
            panic!("dirs expected");
        };
        assert_eq!(dirs, [PathBuf::from("/env")]);
        assert!(matches!(
            FontSource::System.with_settings(&crate::settings::Settings::default()),
            FontSource::System
        ));
    }

    #[test]
    fn empty_dir_finds_nothing_and_a_fixed_file_is_used() {
        let empty = tempfile::tempdir().unwrap();
        let loaded = find(&FontSource::Dirs(vec![empty.path().to_owned()]));
        assert!(loaded.proportional.is_none() && loaded.monospace.is_none());
        let nanum = PathBuf::from("/usr/share/fonts/truetype/nanum/NanumGothic.ttf");
        if nanum.is_file() {
            let loaded = find(&FontSource::Dirs(vec![nanum]));
            assert_eq!(
                loaded.proportional.map(|f| f.name).as_deref(),
                Some("NanumGothic")
            );
            assert!(loaded.monospace.is_none());
        }
    }
}
