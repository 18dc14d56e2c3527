//! The registry dialog: add a registry, test the connection, save, and find it in the
//! settings file; the new source connects and lists its repositories.

use super::ui_common::{Setup, UiTest};
use crate::support::{Auth, registry};
use berth::settings::{Settings, Theme};
use egui::accesskit::Toggled;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

#[test]
fn ui_add_registry_through_the_dialog_is_persisted() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::with(Setup::default());
    t.wait_for("No sources yet");
    t.click("+ Add");
    t.wait_for("Add a registry");
    t.type_into("Name", "Fixtures");
    t.type_into("URL", &reg.url());
    t.click("Test connection");
    // No username: it says what it tried, not that credentials were accepted.
    t.wait_for("Connected: the registry answered, and anonymous access works.");
    assert!(!t.has("Connected: the registry answered and accepted the credentials."));
    t.click("Save");
    t.wait_gone("Add a registry");
    t.wait_for("Fixtures");
    t.wait_for("1,257 repositories");

    let path = t.settings_path();
    let loaded = || {
        Settings::load(&path)
            .ok()
            .filter(|s| !s.registries.is_empty())
    };
    t.until("the settings file", |_| loaded().is_some());
    let settings = loaded().expect("settings");
    assert_eq!(settings.registries.len(), 1);
    let saved = &settings.registries[0];
    assert_eq!(saved.name, "Fixtures");
    assert_eq!(saved.url, reg.url());
    assert!(saved.plain_http, "an http:// URL is saved as plain HTTP");
    assert_eq!(t.harness.state().settings(), &settings);
}

#[test]
fn ui_saved_registries_and_theme_load_from_settings() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::with(Setup {
        settings_toml: Some(format!(
            "theme = \"light\"\n[[registries]]\nname = \"Saved one\"\nurl = \"{}\"\n",
            reg.url()
        )),
        ..Setup::default()
    });
    t.click("Saved one");
    t.wait_for("1,257 repositories");
    assert_eq!(t.harness.state().settings().theme, Theme::Light);
}

#[test]
fn ui_adding_an_address_already_saved_is_refused_and_offers_to_edit_it() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::with(Setup {
        settings_toml: Some(format!(
            "[[registries]]\nname = \"Saved one\"\nurl = \"{}\"\n",
            reg.url()
        )),
        ..Setup::default()
    });
    t.wait_for("Saved one");
    t.click("+ Add");
    t.wait_for("Add a registry");
    t.type_into("Name", "Second name");
    t.type_into("URL", &reg.url());
    t.click("Save");
    t.wait_for(&format!(
        "The address {} is already saved as \"Saved one\". Saving would replace it; edit that \
         entry instead.",
        reg.url()
    ));
    assert!(t.has("Add a registry"), "the dialog stays open");
    let path = t.settings_path();
    let settings = Settings::load(&path).expect("settings");
    assert_eq!(settings.registries.len(), 1);
    assert_eq!(settings.registries[0].name, "Saved one");
    assert_eq!(t.harness.state().settings(), &settings);

    t.click("Edit Saved one");
    t.wait_for("Edit registry");
    t.wait_gone("Add a registry");
    // Saving the entry it switched to keeps it, under its own name.
    t.click("Save");
    t.wait_gone("Edit registry");
    let settings = Settings::load(&path).expect("settings");
    assert_eq!(settings.registries.len(), 1);
    assert_eq!(settings.registries[0].name, "Saved one");
    assert_eq!(settings.registries[0].url, reg.url());
}

/// Every on-screen label or value, for asserting what is not shown.
fn texts(t: &UiTest) -> Vec<String> {
    t.harness
        .root()
        .children_recursive()
        .filter_map(|n| {
            let n = n.accesskit_node();
            n.label().or_else(|| n.value())
        })
        .collect()
}

fn add_dialog_with_url(url: &str) -> UiTest {
    let mut t = UiTest::with(Setup::default());
    t.click("+ Add");
    t.wait_for("Add a registry");
    t.type_into("URL", url);
    t
}

#[test]
fn ui_add_registry_http_address_ticks_plain_http() {
    let mut t = add_dialog_with_url("http://127.0.0.1:5000");
    t.wait_for("plain HTTP");
    let checkbox = t.harness.get_by_label("Use plain HTTP");
    assert_eq!(
        checkbox.accesskit_node().toggled(),
        Some(Toggled::True),
        "the badge and the checkbox agree"
    );
}

#[test]
fn ui_add_registry_unreachable_shows_a_sentence_and_folds_the_details() {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let mut t = add_dialog_with_url("http://127.0.0.1:1");
    t.click("Test connection");
    t.wait_for("Cannot reach 127.0.0.1:1.");
    t.wait_for("Check the address and your network, then try again.");
    let raw = |t: &UiTest| {
        texts(t)
            .iter()
            .any(|s| s.contains("error sending request") || s.contains("os error"))
    };
    assert!(!raw(&t), "the raw chain is folded: {:?}", texts(&t));
    t.click("Details");
    t.until("the details", |h| {
        h.root().children_recursive().any(|n| {
            let n = n.accesskit_node();
            n.label()
                .or_else(|| n.value())
                .is_some_and(|l| l.contains("error sending request"))
        })
    });
}

#[test]
fn ui_add_registry_https_to_a_plain_registry_says_tick_plain_http() {
    let reg = registry(Auth::Anonymous);
    // No scheme: HTTPS, which this plain-HTTP registry does not speak.
    let mut t = add_dialog_with_url(&reg.host());
    t.click("Test connection");
    t.wait_for(&format!(
        "{} answered in plain HTTP, not over a secure (TLS) connection.",
        reg.host()
    ));
    t.wait_for(
        "Tick \"Use plain HTTP\" for this registry (Edit registry), or write its address as \
         http://HOST.",
    );
    let said = texts(&t);
    assert!(
        !said.iter().any(|s| s.contains("--plain-http")),
        "a window user is not told a command-line flag: {said:?}"
    );
}

#[test]
fn ui_add_registry_stored_credentials_note_sits_under_the_username() {
    let t = add_dialog_with_url("http://127.0.0.1:5000");
    let ys = |label: &str| -> Vec<f32> {
        t.harness
            .query_all_by_label(label)
            .map(|n| n.rect().center().y)
            .collect()
    };
    let note = ys("Leave empty to use the credentials Docker or Podman already store.");
    let user = ys("Username");
    let password = ys("Password");
    let ca = ys("CA file");
    assert_eq!(note.len(), 1, "{note:?}");
    let (note, max) = (note[0], |v: &[f32]| {
        v.iter().copied().fold(f32::MIN, f32::max)
    });
    let min = |v: &[f32]| v.iter().copied().fold(f32::MAX, f32::min);
    assert!(note > max(&user), "below the username: {note} vs {user:?}");
    assert!(
        note < min(&password),
        "above the password: {note} vs {password:?}"
    );
    assert!(
        note > max(&ca) + 20.0,
        "not under the CA field: {note} vs {ca:?}"
    );
}
