//! Look and feel: spacing, text sizes, the dark/light/system choice, and the few colours
//! that carry meaning (state dots, warnings, matches), picked for both themes.

use crate::settings::Theme;
use egui::{Color32, CornerRadius, FontFamily, FontId, Margin, TextStyle, Vec2};

/// Applies Berth's fonts, spacing and type scale to both themes.
pub fn install(ctx: &egui::Context) {
    // Arrows and symbols (⇄ ▸ ↻) live in the monospace font; let proportional text use it
    // before the emoji fonts.
    let mut fonts = egui::FontDefinitions::default();
    if let Some(family) = fonts.families.get_mut(&FontFamily::Proportional) {
        family.insert(1.min(family.len()), "Hack".to_owned());
    }
    ctx.set_fonts(fonts);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = Vec2::new(8.0, 6.0);
        style.spacing.button_padding = Vec2::new(8.0, 4.0);
        style.spacing.interact_size.y = 22.0;
        style.spacing.menu_margin = Margin::same(6);
        style.spacing.window_margin = Margin::same(14);
        style.spacing.scroll.floating = true;
        // Labels are not text-selectable: rows react to a click anywhere, and values that
        // people copy have copy buttons.
        style.interaction.selectable_labels = false;
        style.interaction.tooltip_delay = 0.35;
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(11.5, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(13.5, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(13.5, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(17.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(12.5, FontFamily::Monospace),
            ),
        ]
        .into();
        let radius = CornerRadius::same(5);
        let w = &mut style.visuals.widgets;
        for v in [
            &mut w.noninteractive,
            &mut w.inactive,
            &mut w.hovered,
            &mut w.active,
            &mut w.open,
        ] {
            v.corner_radius = radius;
        }
        style.visuals.window_corner_radius = CornerRadius::same(8);
        style.visuals.menu_corner_radius = CornerRadius::same(6);
        style.visuals.striped = true;
    });
}

/// Follows the saved choice; "system" follows the desktop's light or dark setting.
pub fn apply(ctx: &egui::Context, theme: Theme) {
    ctx.set_theme(match theme {
        Theme::System => egui::ThemePreference::System,
        Theme::Dark => egui::ThemePreference::Dark,
        Theme::Light => egui::ThemePreference::Light,
    });
}

/// Colours with a meaning; each reads well on both backgrounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Busy,
    Warn,
    Error,
    Idle,
    Accent,
}

#[must_use]
pub fn tone(ui: &egui::Ui, tone: Tone) -> Color32 {
    let dark = ui.visuals().dark_mode;
    match (tone, dark) {
        (Tone::Ok, true) => Color32::from_rgb(90, 200, 120),
        (Tone::Ok, false) => Color32::from_rgb(30, 140, 70),
        (Tone::Busy, true) => Color32::from_rgb(110, 170, 255),
        (Tone::Busy, false) => Color32::from_rgb(30, 100, 210),
        (Tone::Warn, true) => Color32::from_rgb(240, 180, 70),
        (Tone::Warn, false) => Color32::from_rgb(180, 110, 0),
        (Tone::Error, true) => Color32::from_rgb(255, 110, 100),
        (Tone::Error, false) => Color32::from_rgb(200, 40, 30),
        (Tone::Idle, _) => ui.visuals().weak_text_color(),
        (Tone::Accent, true) => Color32::from_rgb(120, 180, 255),
        (Tone::Accent, false) => Color32::from_rgb(20, 90, 200),
    }
}

/// Background of matched characters in a filtered list.
#[must_use]
pub fn match_bg(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgba_unmultiplied(240, 190, 60, 70)
    } else {
        Color32::from_rgba_unmultiplied(250, 200, 40, 120)
    }
}

/// A frame for a section header strip (panel titles).
pub fn header_frame(ui: &egui::Ui) -> egui::Frame {
    egui::Frame::new()
        .inner_margin(Margin::symmetric(10, 8))
        .fill(ui.visuals().faint_bg_color)
}
