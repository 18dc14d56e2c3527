//! The Trust tab (issue 20, part B) against the registry of `trust_sbom`: the SBOM's package
//! count is the CLI's, the filter counts what it keeps, a `BuildKit` index shows only its real
//! platforms and its provenance, and bad documents end in a sentence while frames go on.

use super::trust_sbom::{BUILDER, HUGE_PACKAGES, SOURCE, shared};
use super::ui_common::{UiTest, open_tag};
use crate::support::berth_cmd;

fn cli_count(reference: &str) -> usize {
    let out = berth_cmd()
        .args([
            "--plain-http",
            "sbom",
            reference,
            "--platform",
            "linux/amd64",
            "--json",
        ])
        .output()
        .expect("run berth");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["packages"].as_array().map_or(0, Vec::len)
}

#[test]
fn ui_trust_shows_the_cli_package_count_and_filters() {
    let reg = shared();
    let host = reg.host();
    for repo in ["trust/spdx", "trust/cdx"] {
        let count = cli_count(&format!("{host}/{repo}:v1"));
        assert!(count > 100, "{repo}: {count}");
        let mut t = UiTest::start(&[reg.url()]);
        open_tag(&mut t, &host, repo, "v1");
        t.click("Trust");
        t.wait_for(&format!("{count} packages"));
        if repo == "trust/spdx" {
            // 29 and 290 to 299.
            t.type_into("Filter packages", "spdx-pkg-29");
            t.wait_for(&format!("11 of {count} packages"));
            t.wait_for("https://cosign.sigstore.dev/attestation/vuln/v1");
            // Save SBOM writes the document as the registry sent it, to a typed path.
            t.click("Save SBOM…");
            let path = t.settings_path().with_file_name("saved-sbom.json");
            t.replace_in("Save the SBOM to", &path.display().to_string());
            t.click("Save");
            t.wait_for(&format!("Saved to {}", path.display()));
            let saved = std::fs::read(&path).expect("saved SBOM");
            assert_eq!(saved, super::trust_sbom::spdx_doc(count));
        }
    }
}

#[test]
fn ui_trust_of_a_buildkit_index_shows_provenance_and_only_real_platforms() {
    let reg = shared();
    let mut t = UiTest::start(&[reg.url()]);
    open_tag(&mut t, &reg.host(), "trust/multi", "v1");
    t.wait_for("linux/arm64");
    assert!(!t.has("unknown/unknown"), "an attestation is no platform");
    t.click("Trust");
    t.wait_for(BUILDER);
    t.wait_for(SOURCE);
    t.wait_for("https://slsa.dev/provenance/v0.2");
}

#[test]
fn ui_trust_bad_sboms_say_why_and_a_huge_one_keeps_frames_going() {
    let reg = shared();
    let mut t = UiTest::start(&[reg.url()]);
    open_tag(&mut t, &reg.host(), "trust/notsbom", "v1");
    t.click("Trust");
    t.until("the not-an-SBOM sentence", |h| {
        use egui_kittest::kittest::Queryable as _;
        h.query_all_by_label_contains("neither an SPDX nor a CycloneDX document")
            .next()
            .is_some()
    });

    let mut t = UiTest::start(&[reg.url()]);
    open_tag(&mut t, &reg.host(), "trust/huge", "v1");
    t.click("Trust");
    assert_eq!(HUGE_PACKAGES, 100_000);
    t.wait_for("100,000 packages");
    // A filter over 100,000 packages runs off the UI thread; frames keep coming meanwhile.
    t.type_into("Filter packages", "spdx-pkg-9999");
    t.wait_for("11 of 100,000 packages");
}
