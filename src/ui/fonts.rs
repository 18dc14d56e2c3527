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
    /// Only these directories (tests point at a fixed font, or at an empty directory).
    Dirs(Vec<PathBuf>),
    /// Do not look.
    Off,
}

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
    pub fn start(source: FontSource, repaint: super::requested::Repaint) -> Self {
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
    match source {
        FontSource::System => db.load_system_fonts(),
        FontSource::Dirs(dirs) => {
            for d in dirs {
                db.load_fonts_dir(d);
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
    Loaded {
        proportional: pick(PROPORTIONAL),
        monospace: pick(MONOSPACE),
    }
}
