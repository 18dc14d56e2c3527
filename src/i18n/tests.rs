use super::*;
use fluent_bundle::FluentResource;
use std::collections::BTreeSet;
use std::path::Path;

fn keys(source: &str) -> BTreeSet<String> {
    if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
        panic!("catalog does not parse: {errors:?}");
    }
    // A message starts at column 0 with its identifier; everything else is indented,
    // a comment, or blank.
    source
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
        .collect()
}

#[test]
fn both_catalogs_parse_and_have_the_same_keys() {
    let en = keys(CATALOG_SOURCES[0].1);
    let ko = keys(CATALOG_SOURCES[1].1);
    let only_en: Vec<_> = en.difference(&ko).collect();
    let only_ko: Vec<_> = ko.difference(&en).collect();
    assert!(only_en.is_empty(), "missing in ko.ftl: {only_en:?}");
    assert!(only_ko.is_empty(), "missing in en.ftl: {only_ko:?}");
}

/// Every `tr!("key"` and `msg!("key"` in the sources names a message in the English catalog.
#[test]
fn every_key_the_code_uses_exists() {
    let en = keys(CATALOG_SOURCES[0].1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read source");
            for key in used_keys(&without_comment_lines(&text)) {
                if !en.contains(&key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys used but not in en.ftl: {missing:#?}"
    );
}

/// The source with every comment line blanked (doc examples are not calls), lines kept, so
/// that a call whose key sits on the next line (`tr!(\n    "key"`) is still read as one.
fn without_comment_lines(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.trim_start().starts_with("//") {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The keys of every `tr!(` and `msg!(` call in `text`, which may span lines: whitespace
/// (newlines included) between the parenthesis and the key is skipped.
fn used_keys(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["tr!(", "msg!("] {
        let mut rest = text;
        while let Some(at) = rest.find(marker) {
            // `include_str!(` is not `tr!(`.
            let glued = rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            rest = &rest[at + marker.len()..];
            if glued {
                continue;
            }
            let Some(quoted) = rest.trim_start().strip_prefix('"') else {
                continue;
            };
            if let Some(end) = quoted.find('"') {
                let key = &quoted[..end];
                let looks_like_key = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if looks_like_key {
                    out.push(key.to_owned());
                }
            }
        }
    }
    out
}

#[test]
fn keys_are_read_across_lines() {
    let source = "let a = tr!(\n    \"first-key\",\n    n = 1);\n// tr!(\"in-a-comment\")\nmsg!(\"second-key\"); include_str!(\"not-a-key\");";
    assert_eq!(
        used_keys(&without_comment_lines(source)),
        ["first-key", "second-key"]
    );
}

#[test]
fn language_from_locale_tags() {
    assert_eq!(Lang::from_tag("ko_KR.UTF-8"), Some(Lang::Ko));
    assert_eq!(Lang::from_tag("en-US"), Some(Lang::En));
    assert_eq!(Lang::from_tag("C.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::from_tag("de"), None);
    assert_eq!(choose_lang(Some("ko"), Some("en")), Lang::Ko);
    assert_eq!(choose_lang(Some("xx"), Some("en")), Lang::En);
}

#[test]
fn messages_with_arguments_and_plurals() {
    set_thread_lang(Lang::En);
    assert_eq!(crate::tr!("repos-count", count = 1), "1 repository");
    assert_eq!(
        crate::tr!("repos-count", count = 1234),
        "1,234 repositories"
    );
    set_thread_lang(Lang::Ko);
    assert_eq!(crate::tr!("repos-count", count = 1234), "저장소 1,234개");
    assert_eq!(t_in(Lang::Ko, "no-such-key", None), "no-such-key");
    set_thread_lang(Lang::En);
}

#[test]
fn errors_become_sentences_with_codes() {
    set_thread_lang(Lang::En);
    let e = crate::registry::Error::NotFound {
        what: "team/app:v9".into(),
        codes: vec![crate::registry::OciErrorCode {
            code: "MANIFEST_UNKNOWN".into(),
            message: "manifest unknown".into(),
        }],
    };
    assert_eq!(
        describe_error(&e),
        "Not found: team/app:v9 [MANIFEST_UNKNOWN: manifest unknown]"
    );
    let limited = crate::registry::Error::RateLimited {
        registry: "registry-1.docker.io".into(),
        retry_after_secs: Some(30),
        remaining: None,
    };
    assert_eq!(
        describe_error(&limited),
        "registry-1.docker.io is limiting requests; try again in 30 seconds."
    );
    set_thread_lang(Lang::Ko);
    assert!(describe_error(&e).starts_with("찾을 수 없습니다: team/app:v9"));
    set_thread_lang(Lang::En);
}

#[test]
fn thousands() {
    assert_eq!(group_thousands(0), "0");
    assert_eq!(group_thousands(999), "999");
    assert_eq!(group_thousands(1000), "1,000");
    assert_eq!(group_thousands(-1_234_567), "-1,234,567");
}

#[test]
fn every_core_error_is_worded_from_the_catalog() {
    set_thread_lang(Lang::En);
    let digest = crate::oci::Digest::parse(&format!("sha256:{}", "a".repeat(64))).expect("digest");
    let truncated = crate::layers::Error::Truncated {
        digest: digest.clone(),
        offset: 10,
        tar_offset: 512,
    };
    // On its own row the layer is named already; alone (the CLI's line) the sentence names it.
    assert_eq!(
        describe_layer_in_row(&truncated),
        "Cut short: the blob ends at byte 10 (tar offset 512)."
    );
    assert_eq!(
        describe(&truncated),
        format!("Layer {digest}: Cut short: the blob ends at byte 10 (tar offset 512).")
    );
    let engine = crate::inspect::Error::EngineImage {
        reference: "docker:app".into(),
    };
    assert!(describe(&engine).starts_with("docker:app is in an engine"));
    let job = std::sync::Arc::new(crate::jobs::Error::Store(crate::store::Error::NoDataDir));
    assert_eq!(
        describe(&job),
        "No data directory for Berth's store (is HOME set?)."
    );
    set_thread_lang(Lang::Ko);
    assert!(describe(&truncated).starts_with("레이어 sha256:"));
    set_thread_lang(Lang::En);
}

#[test]
fn core_errors_are_recognised_with_their_kind() {
    set_thread_lang(Lang::En);
    let bad = crate::inspect::Error::BadReference {
        reference: "::".into(),
    };
    let core = core_error(&bad).expect("an inspect error");
    assert_eq!(core.kind_name(), "bad_reference");
    assert_eq!(
        core.describe(),
        "\"::\" names no image. Write repository:tag."
    );
    // A job's error reaches the CLI shared, in an `Arc`.
    let job = std::sync::Arc::new(crate::jobs::Error::NeedsOnePlatform);
    let core = core_error(&job).expect("a job's error");
    assert_eq!(core.kind_name(), "needs_one_platform");
    let other = std::io::Error::other("something else");
    assert!(core_error(&other).is_none());
}

/// "No SBOM found" names the places it looked in the reader's language: in Korean, no
/// English word is left beside the digests and tags.
#[test]
fn no_sbom_names_its_places_in_korean() {
    use crate::registry::LookedBy;
    use crate::trust::{Looked, ReadError};
    let digest = |c: char| -> crate::oci::Digest {
        format!("sha256:{}", c.to_string().repeat(64))
            .parse()
            .unwrap()
    };
    let e = ReadError::NoSbom {
        looked: vec![
            Looked::IndexAttestations { index: digest('a') },
            Looked::Referrers {
                subject: digest('b'),
                by: LookedBy::NoApiNoFallbackTag,
            },
            Looked::Tag {
                tag: "sha256-bbbb.sbom".into(),
                present: false,
            },
        ],
    };
    set_thread_lang(Lang::En);
    let en = describe(&e);
    assert!(
        en.contains("referrers of sha256:bbbb") && en.contains("tag sha256-bbbb.sbom (absent)"),
        "{en}"
    );
    set_thread_lang(Lang::Ko);
    let ko = describe(&e);
    set_thread_lang(Lang::En);
    // What is left once the digests, the tag and "SBOM"/"API" are taken out has no Latin
    // letter.
    let mut rest = ko.clone();
    for known in [
        &digest('a').to_string(),
        &digest('b').to_string(),
        "sha256-bbbb.sbom",
        "SBOM",
        "API",
    ] {
        rest = rest.replace(known, "");
    }
    assert!(
        !rest.chars().any(|c| c.is_ascii_alphabetic()),
        "English left in {ko:?}: {rest:?}"
    );
    assert!(ko.contains("태그 sha256-bbbb.sbom (없음)"), "{ko}");
}
