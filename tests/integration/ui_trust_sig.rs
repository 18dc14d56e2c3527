//! The trust badge and the signature list in the window: with the P-256 key in the settings
//! an image signed by it is "verified by" that key, and its list names the key; without a
//! key the badge says signed but unverified; an unsigned image says unsigned; a tampered
//! signature makes the badge "Invalid".

use super::trust_sig::{REPO, signed_registry};
use super::ui_common::{Setup, UiTest, open_tag};

#[test]
fn ui_badge_and_list_name_the_key_that_verified_the_signature() {
    let s = signed_registry();
    let key = s.keys.public("p256").display().to_string();
    let mut t = UiTest::with(Setup {
        registries: vec![s.reg.url()],
        settings_toml: Some(format!("signing_keys = [{key:?}]\n")),
        ..Setup::default()
    });
    open_tag(&mut t, &s.reg.host(), REPO, "good");
    t.wait_for(&format!("Signature verified by {key}"));
    t.click("Trust");
    t.wait_for("Signatures");
    t.wait_for(&format!("checked with the key {key}"));
    assert!(t.has("verified") && t.has("cosign") && t.has(&key));
}

#[test]
fn ui_badge_says_unverified_invalid_or_unsigned_without_pretending() {
    let s = signed_registry();
    let key = s.keys.public("p256").display().to_string();
    let mut t = UiTest::with(Setup {
        registries: vec![s.reg.url()],
        settings_toml: Some(format!("signing_keys = [{key:?}]\n")),
        ..Setup::default()
    });
    open_tag(&mut t, &s.reg.host(), REPO, "tampered");
    t.wait_for("Invalid signature");
    let mut t = UiTest::start(&[s.reg.url()]);
    open_tag(&mut t, &s.reg.host(), REPO, "unsigned");
    t.wait_for("Unsigned");
    let mut t = UiTest::start(&[s.reg.url()]);
    open_tag(&mut t, &s.reg.host(), REPO, "good");
    t.wait_for("Signed, not verified");
    t.click("Trust");
    t.wait_for("unverified");
    assert!(
        !t.has("verified"),
        "nothing is called verified without a key that checked it"
    );
}
