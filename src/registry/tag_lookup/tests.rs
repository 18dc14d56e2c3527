//! The tag lookup's memory: answers, moves, marks, the tooltip's names and the cache.

use super::*;

fn head(n: u8) -> ManifestHead {
    ManifestHead {
        digest: Digest::of(&[n]),
        media_type: "application/vnd.oci.image.manifest.v1+json".into(),
        size: Some(u64::from(n)),
    }
}

fn lookup() -> TagLookup {
    TagLookup::new(Repository::parse("r").expect("repository"))
}

#[test]
fn answers_are_remembered_counted_and_moved() {
    let l = lookup();
    l.record("a", Some(&head(1)));
    l.record("b", Some(&head(1)));
    l.record("c", Some(&head(2)));
    l.record("gone", None);
    assert_eq!(l.get("a"), Some(Answer::Known(head(1))));
    assert_eq!(l.get("gone"), Some(Answer::Gone));
    assert_eq!(l.get("x"), None);
    assert_eq!(l.count_on(&head(1).digest), 2);
    assert_eq!(l.tags_on(&head(1).digest), vec!["a", "b"]);
    assert_eq!(l.answered(), 4);

    // A tag that moves leaves its old digest.
    l.record("b", Some(&head(2)));
    assert_eq!(l.count_on(&head(1).digest), 1);
    assert_eq!(l.tags_on(&head(2).digest), vec!["b", "c"]);
    l.record("c", None);
    assert_eq!(l.count_on(&head(2).digest), 1);
    assert_eq!(l.digests().len(), 2);

    let before = l.version();
    l.forget();
    assert_ne!(l.version(), before);
    assert_eq!(l.answered(), 0);
    assert_eq!(l.count_on(&head(1).digest), 0);
}

#[test]
fn others_never_name_the_tag_itself_and_stop_at_the_limit() {
    let l = lookup();
    for i in (0..30).rev() {
        l.record(&format!("t{i}"), Some(&head(1)));
    }
    l.record("elsewhere", Some(&head(2)));
    let (named, more) = l.others_on(&head(1).digest, "t0", 20);
    assert_eq!(named.len(), 20);
    assert!(!named.iter().any(|t| t == "t0"));
    assert_eq!(named.first().map(String::as_str), Some("t1"));
    assert_eq!(named.last().map(String::as_str), Some("t20"));
    assert_eq!(more, 29 - 20);
    let (named, more) = l.others_on(&head(2).digest, "elsewhere", 20);
    assert!(named.is_empty() && more == 0);
}

#[test]
fn marks_tell_fresh_answers_from_old_ones() {
    let l = lookup();
    l.record("old", Some(&head(1)));
    let mark = l.mark();
    l.record("new", Some(&head(1)));
    assert!(!l.fresh_since("old", mark));
    assert!(l.fresh_since("new", mark));
    assert!(!l.fresh_since("never", mark));
}

#[test]
fn the_cache_shares_one_lookup_per_repository_while_held() {
    let cache = TagLookups::default();
    let r = Repository::parse("r").expect("repository");
    let a = cache.get(&r);
    a.record("t", Some(&head(1)));
    assert!(Arc::ptr_eq(&a, &cache.get(&r)));
    let other = cache.get(&Repository::parse("s").expect("repository"));
    assert_eq!(other.answered(), 0);
    drop(a);
    assert_eq!(
        cache.get(&r).answered(),
        0,
        "a lookup nobody holds is let go"
    );
}
