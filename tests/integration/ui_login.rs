//! Logging in where the registry asks for it: a wrong password shows the refusal in place,
//! the right one shows the repositories and is saved where Podman keeps credentials.

use super::ui_common::UiTest;
use crate::support::{Auth, PASS, USER, registry};

#[test]
fn ui_wrong_password_then_right_one() {
    let reg = registry(Auth::Basic);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for(&format!("Log in to {}", reg.host()));
    t.type_into("Username", USER);
    t.type_into("Password", "not-the-password");
    t.click("Log in");
    t.wait_for("The registry refused these credentials. Check the username and password.");
    let auth = t.auth_file();
    assert!(!auth.exists(), "refused credentials are not saved");

    t.type_into("Password", PASS);
    t.click("Log in");
    t.wait_for("1,257 repositories");
    t.until("the credentials to be saved", |_| auth.exists());
    let saved = std::fs::read_to_string(&auth).expect("auth.json");
    assert!(
        saved.contains(&reg.host()),
        "auth.json names the registry: {saved}"
    );
}

#[test]
fn ui_stored_credentials_are_used_and_log_out_forgets_them() {
    use base64::Engine as _;
    use egui_kittest::kittest::Queryable as _;
    let reg = registry(Auth::Basic);
    // What `podman login` writes; the test's credential paths point here (see ui_common).
    let mut t = UiTest::start(&[]);
    let auth = t.auth_file();
    std::fs::create_dir_all(auth.parent().expect("parent")).expect("mkdir");
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASS}"));
    std::fs::write(
        &auth,
        format!(r#"{{"auths":{{"{}":{{"auth":"{token}"}}}}}}"#, reg.host()),
    )
    .expect("write auth.json");
    // Add the registry now that its credentials are stored.
    t.click("+ Add");
    t.type_into("URL", &reg.url());
    t.click("Save");
    t.wait_for("1,257 repositories");

    t.harness.get_by_label(&reg.host()).click_secondary();
    t.harness.step();
    t.click("Log out");
    t.wait_for(&format!("Log in to {}", reg.host()));
    t.until("the stored entry to be removed", |_| {
        std::fs::read_to_string(&auth).is_ok_and(|s| !s.contains(&reg.host()))
    });
}

/// Waits for a status-bar notice that starts with `start` and, further on, names `names`.
fn wait_for_notice(t: &mut UiTest, start: &str, names: &str) {
    use egui_kittest::kittest::Queryable as _;
    t.until(start, |h| {
        h.query_all_by_label_contains(start).next().is_some()
            && h.query_all_by_label_contains(names).next().is_some()
    });
}

#[test]
fn ui_a_login_that_cannot_be_saved_says_so() {
    let reg = registry(Auth::Basic);
    let mut t = UiTest::start(&[reg.url()]);
    // The parent of auth.json is a regular file, so the save fails (tests run as root:
    // taking away a permission would not stop them).
    let auth = t.auth_file();
    let parent = auth.parent().expect("parent");
    std::fs::write(parent, "not a directory").expect("write a file in the way");
    t.click(&reg.host());
    t.wait_for(&format!("Log in to {}", reg.host()));
    t.type_into("Username", USER);
    t.type_into("Password", PASS);
    t.click("Log in");
    t.wait_for("1,257 repositories");
    wait_for_notice(
        &mut t,
        &format!(
            "Logged in to {}, but the login could not be saved, so Berth will ask for it again next time.",
            reg.host()
        ),
        &auth.display().to_string(),
    );
    assert!(parent.is_file(), "nothing was written in its place");
}

#[test]
fn ui_a_log_out_that_cannot_forget_the_login_says_so() {
    use base64::Engine as _;
    use egui_kittest::kittest::Queryable as _;
    let reg = registry(Auth::Basic);
    let mut t = UiTest::start(&[]);
    let auth = t.auth_file();
    std::fs::create_dir_all(auth.parent().expect("parent")).expect("mkdir");
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASS}"));
    std::fs::write(
        &auth,
        format!(r#"{{"auths":{{"{}":{{"auth":"{token}"}}}}}}"#, reg.host()),
    )
    .expect("write auth.json");
    t.click("+ Add");
    t.type_into("URL", &reg.url());
    t.click("Save");
    t.wait_for("1,257 repositories");
    // Now auth.json cannot be rewritten: a directory stands where the file was.
    std::fs::remove_file(&auth).expect("remove auth.json");
    std::fs::create_dir(&auth).expect("a directory in its place");

    t.harness.get_by_label(&reg.host()).click_secondary();
    t.harness.step();
    t.click("Log out");
    wait_for_notice(
        &mut t,
        &format!(
            "Logged out of {} in this window, but the saved login could not be removed",
            reg.host()
        ),
        &auth.display().to_string(),
    );
}
