//! What every UI test needs: the real `BerthApp` in an `egui_kittest` harness, on its own tokio
//! runtime, with a private settings file and credential files, driven by labels.

use berth::i18n::Lang;
use berth::registry::credentials::CredentialPaths;
use berth::ui::{AppOptions, BerthApp, Desktop, FontSource};
use egui_kittest::Harness;
use egui_kittest::kittest::{AccessKitNode, NodeT as _, Queryable as _};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Where the tests find a font with Hangul (the test setup installs fonts-nanum).
pub const NANUM_DIR: &str = "/usr/share/fonts/truetype/nanum";
/// One fixed font file from fonts-nanum (snapshots that must not depend on what else is
/// installed).
pub const NANUM_FILE: &str = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf";
/// Its coding companion, used for monospace text.
pub const NANUM_CODING_FILE: &str = "/usr/share/fonts/truetype/nanum/NanumGothicCoding.ttf";

const TIMEOUT: Duration = Duration::from_secs(40);

/// Fails (a test never skips) when a font file the UI tests draw with is missing, naming the
/// Debian package that has it.
pub fn require_font(file: &str) {
    let package = if file.contains("Coding") {
        "fonts-nanum-coding"
    } else {
        "fonts-nanum"
    };
    assert!(
        std::path::Path::new(file).is_file(),
        "{file} is missing: install the Debian package {package} (tests/run.sh installs it)"
    );
}

pub struct Setup {
    pub registries: Vec<String>,
    pub lang: Lang,
    /// Written to the settings file before the app starts.
    pub settings_toml: Option<String>,
    pub size: egui::Vec2,
    /// The harness sets egui's theme after the app starts (dark unless said otherwise).
    pub theme: egui::Theme,
    /// Where the app looks for CJK fonts; fonts-nanum's directory unless said otherwise.
    pub fonts: Option<FontSource>,
    /// Glyphs missing from the fonts given are expected (an empty font directory).
    pub missing_glyphs: bool,
    /// Written to `ui-state.toml` beside the settings before the app starts.
    pub ui_state_toml: Option<String>,
    /// How far egui's clock moves per step (kittest's default is a quarter second). The app
    /// times its pauses by egui's clock, so a test that must stay inside one sets it lower.
    pub step_dt: f32,
    /// The user's directories and file chooser; a Downloads and a home directory inside the
    /// test's temporary directory, and no chooser, unless said otherwise.
    pub desktop: Option<Desktop>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            registries: Vec::new(),
            lang: Lang::En,
            settings_toml: None,
            size: egui::vec2(1280.0, 800.0),
            theme: egui::Theme::Dark,
            fonts: None,
            step_dt: 0.25,
            missing_glyphs: false,
            ui_state_toml: None,
            desktop: None,
        }
    }
}

pub struct UiTest {
    // Dropped first: the app and its channels go before the runtime they talk to.
    pub harness: Harness<'static, BerthApp>,
    pub dir: tempfile::TempDir,
    _rt: tokio::runtime::Runtime,
}

impl UiTest {
    /// The app with `registries` given as `--registry`, no Docker Hub, English.
    pub fn start(registries: &[String]) -> Self {
        Self::with(Setup {
            registries: registries.to_vec(),
            ..Setup::default()
        })
    }

    pub fn with(setup: Setup) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("ui-test-worker")
            .build()
            .expect("tokio runtime");
        let dir = tempfile::tempdir().expect("temp dir");
        let settings_path = dir.path().join("config/settings.toml");
        if let Some(text) = &setup.settings_toml {
            std::fs::create_dir_all(settings_path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&settings_path, text).expect("write settings");
        }
        if let Some(text) = &setup.ui_state_toml {
            std::fs::create_dir_all(settings_path.parent().expect("parent")).expect("mkdir");
            std::fs::write(settings_path.with_file_name("ui-state.toml"), text)
                .expect("write ui state");
        }
        let fonts = setup.fonts.unwrap_or_else(|| {
            // The default draws Hangul with fonts-nanum; without it every Hangul check would
            // pass on boxes.
            require_font(NANUM_FILE);
            FontSource::Dirs(vec![PathBuf::from(NANUM_DIR)])
        });
        let options = AppOptions {
            settings_path,
            extra_registries: setup.registries,
            no_default_registries: true,
            lang: Some(setup.lang),
            fonts,
            credential_paths: CredentialPaths {
                docker_config: Some(dir.path().join("docker/config.json")),
                podman_auth: vec![dir.path().join("containers/auth.json")],
            },
            layer_cache_dir: Some(dir.path().join("cache/layers")),
            desktop: setup.desktop.clone().unwrap_or_else(|| Desktop {
                download_dir: Some(dir.path().join("Downloads")),
                home_dir: Some(dir.path().join("home")),
                // A test never opens the system's chooser.
                file_chooser: false,
            }),
        };
        let handle = rt.handle().clone();
        let mut builder = Harness::builder()
            .with_size(setup.size)
            .with_theme(setup.theme)
            .with_step_dt(setup.step_dt);
        if setup.missing_glyphs {
            builder = builder.allow_missing_glyphs();
        }
        let harness = builder.build_eframe(move |cc| BerthApp::new(cc, options, handle));
        let mut test = Self {
            harness,
            dir,
            _rt: rt,
        };
        test.until("the font search", |h| h.state().fonts_settled());
        test
    }

    pub fn settings_path(&self) -> PathBuf {
        self.dir.path().join("config/settings.toml")
    }

    pub fn layer_cache_dir(&self) -> PathBuf {
        self.dir.path().join("cache/layers")
    }

    pub fn auth_file(&self) -> PathBuf {
        self.dir.path().join("containers/auth.json")
    }

    /// Steps frames until `done` holds; background work runs meanwhile.
    pub fn until(&mut self, what: &str, mut done: impl FnMut(&Harness<'static, BerthApp>) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            self.harness.step();
            if done(&self.harness) {
                return;
            }
            if Instant::now() >= deadline {
                let seen: Vec<String> = self
                    .harness
                    .root()
                    .children_recursive()
                    .filter_map(|n| {
                        let n = n.accesskit_node();
                        n.label().or_else(|| n.value())
                    })
                    .take(80)
                    .collect();
                panic!("timed out waiting for {what}; on screen: {seen:?}");
            }
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    /// Waits until a node with exactly this label is on screen.
    pub fn wait_for(&mut self, label: &str) {
        self.until(label, |h| h.query_all_by_label(label).next().is_some());
    }

    /// Waits until no node with this label is on screen.
    pub fn wait_gone(&mut self, label: &str) {
        self.until(&format!("{label} to go away"), |h| {
            h.query_all_by_label(label).next().is_none()
        });
    }

    pub fn has(&self, label: &str) -> bool {
        self.harness.query_all_by_label(label).next().is_some()
    }

    /// Waits for the one node labelled `label` and clicks it.
    pub fn click(&mut self, label: &str) {
        self.wait_for(label);
        // Aim where the widget rests, as a person does: a layout still growing (an answer
        // arriving above it, a window's first sizing frame) would move it between the frame
        // the click is aimed in and the frame that takes it.
        let mut last = None;
        self.until(&format!("{label} to hold still"), |h| {
            let rect = h.query_by_label(label).map(|n| n.rect());
            let still = rect.is_some() && rect == last;
            last = rect;
            still
        });
        self.harness.get_by_label(label).click();
        self.harness.step();
    }

    /// Focuses the field labelled `label` and types `text` into it.
    pub fn type_into(&mut self, label: &str, text: &str) {
        self.wait_for(label);
        self.harness.get_by_label(label).focus();
        self.harness.step();
        self.harness.get_by_label(label).type_text(text);
        self.harness.step();
    }

    /// Focuses the text field labelled `label`, selects what it holds and types `text` over it.
    pub fn replace_in(&mut self, label: &str, text: &str) {
        self.until(label, |h| field(h, label).is_some());
        field(&self.harness, label).expect("field").focus();
        self.harness.step();
        self.harness
            .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        self.harness.step();
        field(&self.harness, label).expect("field").type_text(text);
        self.harness.step();
    }

    /// What the text field labelled `label` holds.
    pub fn field_value(&self, label: &str) -> Option<String> {
        field(&self.harness, label).and_then(|n| n.value())
    }

    /// Waits for a text field whose hint is `hint`.
    pub fn wait_for_hint(&mut self, hint: &str) {
        self.until(hint, |h| h.query_by(|n| is_hinted(n, hint)).is_some());
    }

    /// Focuses the field whose placeholder (its visible hint) is `hint`.
    pub fn focus_hinted(&mut self, hint: &str) {
        self.until(hint, |h| h.query_by(|n| is_hinted(n, hint)).is_some());
        self.harness.get_by(|n| is_hinted(n, hint)).focus();
        self.harness.step();
    }

    /// Focuses the field whose placeholder is `hint`, and types `text` into it.
    pub fn type_into_hinted(&mut self, hint: &str, text: &str) {
        self.focus_hinted(hint);
        self.harness.get_by(|n| is_hinted(n, hint)).type_text(text);
        self.harness.step();
    }

    pub fn key(&mut self, key: egui::Key) {
        self.harness.key_press(key);
        self.harness.step();
    }
}

/// The text field labelled `label` (its label's own node is skipped).
fn field<'a>(h: &'a Harness<'static, BerthApp>, label: &'a str) -> Option<egui_kittest::Node<'a>> {
    h.query_all_by_label(label)
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::TextInput)
}

/// A text field found by its hint text (screen readers read it when there is no label).
fn is_hinted(n: &AccessKitNode<'_>, hint: &str) -> bool {
    n.role() == egui::accesskit::Role::TextInput && n.data().placeholder() == Some(hint)
}

/// The hint of the repository list's filter.
pub const REPO_FILTER: &str = "Filter repositories (Ctrl+F)";

/// Opens `repo` of the registry `host`: the registry in the sidebar, then the repository
/// found through the list's filter.
pub fn open_repo(t: &mut UiTest, host: &str, repo: &str) {
    t.click(host);
    t.type_into_hinted(REPO_FILTER, repo);
    t.click(repo);
}

/// Opens the image `repo:tag` of the registry `host`.
pub fn open_tag(t: &mut UiTest, host: &str, repo: &str, tag: &str) {
    open_repo(t, host, repo);
    t.click(tag);
}

/// Marks tags of the table one by one with Ctrl+click, waiting after each for the line that
/// counts the marked tags (`(tag, "1 tag selected")`).
pub fn mark_tags(t: &mut UiTest, marks: &[(&str, &str)]) {
    for (tag, marked) in marks {
        t.harness
            .get_by_label(tag)
            .click_modifiers(egui::Modifiers::COMMAND);
        t.harness.step();
        t.wait_for(marked);
    }
}
