//! Text from a registry is shown, never obeyed, in the window too (issue 18 item 12): a tag
//! whose name holds an escape sequence, a newline or a bidi override is drawn on one row with
//! those characters spelled out, as the CLI prints them; the window title and the breadcrumb
//! spell them out too, and cut a very long name in the middle. The tags come from the hostile
//! server (ours): a real registry refuses such names, a hostile one does not.

use super::ui_common::UiTest;
use crate::support::hostile::{HostileServer, Reply};
use egui_kittest::kittest::Queryable as _;

const REPO: &str = "evil/tags";
const RED: &str = "\u{1b}[31mred\nfake";
const RED_SHOWN: &str = "\\u{1b}[31mred\\nfake";
const BIDI: &str = "txt\u{202e}exe.sh";
const BIDI_SHOWN: &str = "txt\\u{202e}exe.sh";

fn server() -> HostileServer {
    server_with(&["plain", RED, BIDI])
}

fn server_with(tags: &[&str]) -> HostileServer {
    let catalog = serde_json::json!({ "repositories": [REPO] }).to_string();
    let list = serde_json::json!({ "name": REPO, "tags": tags }).to_string();
    HostileServer::start(move |r| {
        if r.path.starts_with("/v2/_catalog") {
            Reply::json(200, &catalog)
        } else if r.path.starts_with(&format!("/v2/{REPO}/tags/list")) {
            Reply::json(200, &list)
        } else if r.path == "/v2/" {
            Reply::json(200, "{}")
        } else {
            Reply::json(404, r#"{"errors":[{"code":"MANIFEST_UNKNOWN"}]}"#)
        }
    })
}

#[test]
fn ui_a_tag_with_control_characters_is_shown_escaped_on_one_row() {
    let server = server();
    let mut t = UiTest::start(&[server.url()]);
    t.click(&server.host());
    t.click(REPO);
    t.wait_for("3 tags");
    assert!(t.has("plain"), "an ordinary tag is shown as it is");
    assert!(
        t.has(RED_SHOWN),
        "the escape and the newline are spelled out"
    );
    assert!(t.has(BIDI_SHOWN), "the bidi override is spelled out");
    assert!(!t.has(RED), "the raw escape sequence never reaches a row");
    assert!(!t.has(BIDI), "the raw bidi override never reaches a row");
}

#[test]
fn ui_the_title_and_breadcrumb_spell_out_and_cut_a_hostile_tag() {
    use berth::format::{NAME_MAX_CHARS, is_unsafe_char};
    let long = format!("{}{BIDI}", "x".repeat(400));
    let server = server_with(&[BIDI, &long]);
    let mut t = UiTest::start(&[server.url()]);
    t.click(&server.host());
    t.click(REPO);
    t.wait_for("2 tags");
    t.click(BIDI_SHOWN);
    t.until("the tag in the title", |h| {
        h.state().title().contains(BIDI_SHOWN)
    });
    let title = t.harness.state().title().to_owned();
    assert!(
        !title.chars().any(is_unsafe_char),
        "the title bar obeys nothing: {title:?}"
    );
    // The error box quotes the tag spelt out too, and no node holds the raw override.
    t.until("the error naming the tag", |h| {
        h.query_all_by_label_contains(&format!("{REPO}:{BIDI_SHOWN}"))
            .next()
            .is_some()
    });
    assert!(
        t.harness
            .query_all_by_label_contains("\u{202e}")
            .next()
            .is_none(),
        "a raw bidi override reached the window"
    );
    // The breadcrumb's earlier parts are named by what they show.
    t.wait_for(&format!("Go to {REPO}"));

    // A 400-character tag: the title keeps both ends of it, cut in the middle.
    t.click(&format!("Go to {REPO}"));
    let shown = format!("{}{BIDI_SHOWN}", "x".repeat(400));
    t.click(&shown);
    t.until("the long tag in the title", |h| {
        let title = h.state().title();
        title.contains("x…x") && title.contains(&format!("x{BIDI_SHOWN}"))
    });
    let title = t.harness.state().title().to_owned();
    assert!(!title.chars().any(is_unsafe_char), "{title:?}");
    assert!(
        title.chars().count() < 2 * NAME_MAX_CHARS + 40,
        "the title is cut: {} characters",
        title.chars().count()
    );
}
