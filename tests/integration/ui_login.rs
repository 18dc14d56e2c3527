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
