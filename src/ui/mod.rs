//! The desktop window, and the only module that knows egui. Views read view state and send
//! commands; everything network- or disk-bound runs on the tokio runtime and comes back over
//! channels, followed by a repaint request (ARCHITECTURE.md).

mod app;
mod browse;
mod compare;
mod image;
mod jobs_panel;
mod kit;
mod local;
mod shell;
mod transfer;

pub use app::{AppOptions, BerthApp};
pub use kit::cursor_blink::BLINK_FOR as CURSOR_BLINK_FOR;
pub use kit::file_pick::Desktop;
pub use kit::requested::{Repaint, Requested};
pub use local::stores::RowText as LocalRowText;
pub use shell::fonts::{FONT_DIRS_ENV, FontSource};

/// What background work needs: the runtime to spawn on and a way to wake the UI.
#[derive(Clone)]
pub struct Bg {
    pub rt: tokio::runtime::Handle,
    pub repaint: Repaint,
    /// Where layer listings are cached (`None`: no cache).
    pub layer_cache: Option<crate::layers::LayerCache>,
    /// Where the user keeps files, and whether a file chooser can be asked.
    pub desktop: std::sync::Arc<Desktop>,
}

/// The app icon, also installed beside the `.desktop` file.
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/icon-256.png");
/// The same icon, small, for the top bar.
const LOGO_PNG: &[u8] = include_bytes!("../../assets/icon-64.png");

/// Opens the window and runs until it is closed.
pub fn run(options: AppOptions, rt: tokio::runtime::Handle) -> eframe::Result {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Berth")
        .with_app_id("berth")
        .with_inner_size([1320.0, 820.0])
        .with_min_inner_size([820.0, 520.0]);
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(e) => tracing::warn!(error = %e, "cannot decode the app icon"),
    }
    let native = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    let frame_log = std::env::var_os(FRAME_LOG_ENV).is_some();
    eframe::run_native(
        "Berth",
        native,
        Box::new(move |cc| {
            let app = BerthApp::new(cc, options, rt);
            Ok(if frame_log {
                Box::new(FrameLog(app))
            } else {
                Box::new(app)
            })
        }),
    )
}

/// Set (to anything) to log each frame on stderr for `benches/browse.sh`: a hidden switch of
/// the real binary, which the benchmark uses for start-to-first-frame and idle frames.
pub const FRAME_LOG_ENV: &str = "BERTH_FRAME_LOG";

/// The app, logging each `ui` pass as `berth-frame UNIX_NANOS UI_MICROS` on stderr.
struct FrameLog(BerthApp);

impl eframe::App for FrameLog {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        eframe::App::logic(&mut self.0, ctx, frame);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let started = std::time::Instant::now();
        eframe::App::ui(&mut self.0, ui, frame);
        let took = started.elapsed().as_micros();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        eprintln!("berth-frame {now} {took}");
    }
}
