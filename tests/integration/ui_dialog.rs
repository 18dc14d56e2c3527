//! The registry dialog: add a registry, test the connection, save, and find it in the
//! settings file; the new source connects and lists its repositories.

use super::ui_common::{Setup, UiTest};
use crate::support::{Auth, registry};
use berth::settings::{Settings, Theme};

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
    t.wait_for("Connected: the registry answered and accepted the credentials.");
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
