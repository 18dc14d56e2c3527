//! Errors shown where they happen, with a next step; and a window that goes idle.

use super::ui_common::UiTest;
use crate::support::{Auth, registry};

#[test]
fn ui_unreachable_registry_shows_the_reason_and_offers_retry() {
    // Nothing listens on port 9 of loopback (discard is never running in the test box).
    let mut t = UiTest::start(&["http://127.0.0.1:9".to_owned()]);
    t.click("127.0.0.1:9");
    t.wait_for("Retry");
    t.wait_for("Check the address and your network, then try again.");
    t.click("Retry");
    t.wait_for("Retry");
}

#[test]
fn ui_idle_window_requests_no_repaints() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted("Filter repositories (Ctrl+F)", "team/app/api");
    t.click("team/app/api");
    t.click("v2");
    t.wait_for("Overview");
    t.wait_for("linux/amd64");
    // Once everything has arrived, nothing asks for another frame.
    t.until("the window to go idle", |h| {
        h.output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .is_some_and(|v| v.repaint_delay > std::time::Duration::from_hours(1))
    });
}

#[test]
fn ui_rate_limits_show_what_is_left() {
    use crate::support::{Fault, FaultProxy, Rule};
    let proxy = FaultProxy::start(&registry(Auth::Anonymous).host());
    proxy.add(
        Rule::path("/v2/_catalog"),
        Fault::AddHeaders(vec![
            ("ratelimit-limit".into(), "100;w=21600".into()),
            ("ratelimit-remaining".into(), "42;w=21600".into()),
        ]),
    );
    // Longer than the client would ever wait: the error reaches the window at once.
    proxy.add(
        Rule::path("/library/alpine/tags/list"),
        Fault::TooManyRequests {
            retry_after: "600".into(),
        },
    );
    let mut t = UiTest::start(&[proxy.url()]);
    t.click(&proxy.host());
    t.wait_for("Pulls left: 42 of 100");
    t.type_into_hinted("Filter repositories (Ctrl+F)", "library/alpine");
    t.click("library/alpine");
    t.wait_for("Requests left in this window: 0.");
}

/// Hovering an unreachable registry in the sidebar shows the error box's one sentence, not
/// the network library's chain of causes.
#[test]
fn ui_hovering_an_unreachable_registry_shows_the_error_boxs_sentence() {
    use egui_kittest::kittest::{NodeT as _, Queryable as _};
    let mut t = UiTest::start(&["http://127.0.0.1:9".to_owned()]);
    t.click("127.0.0.1:9");
    t.wait_for("Retry");
    let sentence = "Cannot reach 127.0.0.1:9.";
    t.wait_for(sentence);
    t.harness.get_by_label("127.0.0.1:9").hover();
    // The error box's sentence, and the same in the tooltip.
    t.until("the row's tooltip", |h| {
        h.query_all_by_label(sentence).count() == 2
    });
    let texts: Vec<String> = t
        .harness
        .root()
        .children_recursive()
        .filter_map(|n| {
            let n = n.accesskit_node();
            n.label().or_else(|| n.value())
        })
        .collect();
    assert!(
        !texts
            .iter()
            .any(|l| l.starts_with("unreachable") || l.contains("error sending request")),
        "the raw chain is on screen: {texts:?}"
    );
}
