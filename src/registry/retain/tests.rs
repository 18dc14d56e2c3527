//! The rules over hand-made facts: selection, ranking, edge cases, protection, estimate.

use super::*;

fn d(n: &str) -> Digest {
    Digest::of(n.as_bytes())
}

const DAY: i64 = 86_400;
const NOW: i64 = 1_000 * DAY;

fn fact(tag: &str, digest: &str, age_days: Option<i64>) -> TagFact {
    TagFact {
        tag: tag.to_owned(),
        digest: d(digest),
        created: age_days.map(|a| NOW - a * DAY),
    }
}

fn rules(keep: usize) -> Rules {
    Rules {
        keep,
        now: NOW,
        ..Rules::default()
    }
}

fn facts(tags: Vec<TagFact>) -> Facts {
    Facts {
        tags,
        ..Facts::default()
    }
}

fn deleted(p: &RetainPlan) -> Vec<&str> {
    p.delete.iter().filter_map(|x| x.tag.as_deref()).collect()
}

fn reason(p: &RetainPlan, tag: &str) -> Option<KeepReason> {
    p.keep.iter().find(|k| k.tag == tag).map(|k| k.reason)
}

#[test]
fn newest_n_by_date_are_kept() {
    let f = facts(vec![
        fact("a", "1", Some(5)),
        fact("b", "2", Some(4)),
        fact("c", "3", Some(3)),
        fact("d", "4", Some(2)),
    ]);
    let p = plan(&rules(2), &f);
    assert_eq!(deleted(&p), ["a", "b"]);
    assert_eq!(reason(&p, "c"), Some(KeepReason::Newest));
    assert_eq!(reason(&p, "d"), Some(KeepReason::Newest));
    assert!(p.protected.is_empty());
}

#[test]
fn semver_orders_by_version_not_by_name_or_date() {
    let f = facts(vec![
        fact("1.10.0", "1", Some(50)),
        fact("1.9.0", "2", Some(1)),
        fact("v2.0.0-rc.1", "3", Some(2)),
        fact("2.0.0", "4", Some(60)),
        fact("stable", "5", Some(0)),
    ]);
    let p = plan(
        &Rules {
            by: Order::Semver,
            ..rules(2)
        },
        &f,
    );
    assert_eq!(reason(&p, "2.0.0"), Some(KeepReason::Newest));
    assert_eq!(reason(&p, "v2.0.0-rc.1"), Some(KeepReason::Newest));
    assert_eq!(reason(&p, "stable"), Some(KeepReason::NoSemver));
    assert_eq!(deleted(&p), ["1.9.0", "1.10.0"]);
}

#[test]
fn a_tag_without_a_date_is_kept_and_labelled() {
    let f = facts(vec![fact("old", "1", Some(9)), fact("nodate", "2", None)]);
    let p = plan(&rules(0), &f);
    assert_eq!(deleted(&p), ["old"]);
    assert_eq!(reason(&p, "nodate"), Some(KeepReason::NoDate));
    // By semver a tag without date still ranks, but --older-than cannot judge it.
    let f = facts(vec![fact("1.0.0", "1", None), fact("1.0.1", "2", Some(40))]);
    let by_semver = Rules {
        by: Order::Semver,
        older_than_days: Some(30),
        ..rules(0)
    };
    let p = plan(&by_semver, &f);
    assert_eq!(deleted(&p), ["1.0.1"]);
    assert_eq!(reason(&p, "1.0.0"), Some(KeepReason::NoDate));
}

#[test]
fn ties_break_in_natural_order() {
    // Same date: the tag later in natural order counts as newer (build-10 after build-9).
    let f = facts(vec![
        fact("build-9", "1", Some(3)),
        fact("build-10", "2", Some(3)),
        fact("build-2", "3", Some(3)),
    ]);
    let p = plan(&rules(1), &f);
    assert_eq!(reason(&p, "build-10"), Some(KeepReason::Newest));
    assert_eq!(deleted(&p), ["build-2", "build-9"]);
    // Equal versions (build metadata is ignored) tie the same way.
    let f = facts(vec![fact("1.0.0+b", "1", None), fact("1.0.0+a", "2", None)]);
    let p = plan(
        &Rules {
            by: Order::Semver,
            ..rules(1)
        },
        &f,
    );
    assert_eq!(reason(&p, "1.0.0+b"), Some(KeepReason::Newest));
    assert_eq!(deleted(&p), ["1.0.0+a"]);
}

#[test]
fn match_and_exclude_limit_what_is_considered() {
    let f = facts(vec![
        fact("sha-1", "1", Some(10)),
        fact("sha-2", "2", Some(9)),
        fact("sha-keep", "3", Some(8)),
        fact("sha-3", "4", Some(7)),
        fact("1.0.0", "5", Some(100)),
    ]);
    let r = Rules {
        matching: Some(Pattern::new(GlobField::Match, "sha-*").unwrap()),
        exclude: Some(Pattern::new(GlobField::Exclude, "*-keep").unwrap()),
        ..rules(1)
    };
    let p = plan(&r, &f);
    assert_eq!(deleted(&p), ["sha-1", "sha-2"]);
    assert_eq!(reason(&p, "sha-3"), Some(KeepReason::Newest));
    assert_eq!(reason(&p, "sha-keep"), Some(KeepReason::Excluded));
    assert_eq!(reason(&p, "1.0.0"), Some(KeepReason::NotMatched));
}

#[test]
fn older_than_counts_from_the_injected_now() {
    let f = facts(vec![
        fact("a", "1", Some(31)),
        fact("b", "2", Some(30)),
        fact("c", "3", Some(29)),
    ]);
    let p = plan(
        &Rules {
            older_than_days: Some(30),
            ..rules(0)
        },
        &f,
    );
    // Exactly 30 days old is not older than 30 days.
    assert_eq!(deleted(&p), ["a"]);
    assert_eq!(reason(&p, "b"), Some(KeepReason::TooRecent));
    assert_eq!(reason(&p, "c"), Some(KeepReason::TooRecent));
}

#[test]
fn a_digest_a_kept_tag_points_at_is_protected() {
    let f = facts(vec![
        fact("1.0.0", "shared", Some(10)),
        fact("stable", "shared", Some(10)),
        fact("0.9.0", "old", Some(20)),
        fact("2.0.0", "new", Some(1)),
    ]);
    let r = Rules {
        matching: Some(Pattern::new(GlobField::Match, "*.*.*").unwrap()),
        ..rules(1)
    };
    let p = plan(&r, &f);
    assert_eq!(deleted(&p), ["0.9.0"]);
    assert_eq!(
        p.protected,
        [Protected {
            tag: "1.0.0".into(),
            digest: d("shared"),
            because: "stable".into(),
        }]
    );
    assert_eq!(p.groups.len(), 1);
}

#[test]
fn tags_sharing_a_deleted_digest_go_along() {
    let f = facts(vec![
        fact("a", "x", Some(10)),
        fact("b", "x", Some(10)),
        fact("c", "y", Some(1)),
    ]);
    let p = plan(&rules(1), &f);
    assert_eq!(deleted(&p), ["a", "b"]);
    assert_eq!(p.going_along().collect::<Vec<_>>(), [("b", &d("x"))]);
    let listed = Arc::new(vec!["a".into(), "b".into(), "c".into()]);
    let plans = p.delete_plans(&Repository::parse("r").unwrap(), &listed);
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].digest, d("x"));
    let tags: Vec<_> = plans[0]
        .tags
        .iter()
        .map(|t| (t.tag.as_str(), t.given))
        .collect();
    assert_eq!(tags, [("a", true), ("b", false)]);
}

#[test]
fn keep_zero_deletes_every_considered_tag() {
    let f = facts(vec![fact("a", "1", Some(1)), fact("b", "2", Some(2))]);
    let p = plan(&rules(0), &f);
    assert_eq!(deleted(&p), ["a", "b"]);
    assert!(p.keep.is_empty());
}

#[test]
fn the_estimate_counts_unique_blobs_no_kept_manifest_uses() {
    let blob = |n: &str, size| Blob { digest: d(n), size };
    let mut f = facts(vec![
        fact("old1", "m1", Some(3)),
        fact("old2", "m2", Some(2)),
        fact("new", "m3", Some(1)),
    ]);
    f.blobs = HashMap::from([
        (
            d("m1"),
            vec![blob("cfg1", 10), blob("base", 1000), blob("l1", 100)],
        ),
        (
            d("m2"),
            vec![
                blob("cfg2", 20),
                blob("base", 1000),
                blob("l1", 100),
                blob("l2", 200),
            ],
        ),
        (
            d("m3"),
            vec![blob("cfg3", 30), blob("base", 1000), blob("l2", 200)],
        ),
    ]);
    let p = plan(&rules(1), &f);
    assert_eq!(deleted(&p), ["old1", "old2"]);
    // cfg1 + cfg2 + l1 once; base and l2 stay with "new".
    assert_eq!(p.bytes_freed_estimate, 10 + 20 + 100);
}

#[test]
fn untagged_where_not_listable_is_a_notice() {
    let mut f = facts(vec![fact("a", "1", Some(1))]);
    f.untagged = Untagged::NotListable {
        registry: "reg:5000".into(),
    };
    let p = plan(
        &Rules {
            untagged: true,
            ..rules(1)
        },
        &f,
    );
    assert_eq!(
        p.notice,
        Some(Error::UntaggedNotListable {
            registry: "reg:5000".into()
        })
    );
    assert!(p.delete.is_empty());
}

#[test]
fn listed_untagged_manifests_go_when_old_enough() {
    let mut f = facts(vec![fact("a", "1", Some(1))]);
    f.untagged = Untagged::Listed(vec![
        (d("u-old"), Some(NOW - 40 * DAY)),
        (d("u-new"), Some(NOW - DAY)),
        (d("1"), Some(NOW - 40 * DAY)),
    ]);
    let r = Rules {
        untagged: true,
        older_than_days: Some(30),
        ..rules(1)
    };
    let p = plan(&r, &f);
    assert_eq!(p.delete.len(), 1);
    assert_eq!(p.delete[0].tag, None);
    assert_eq!(p.delete[0].digest, d("u-old"));
}

#[test]
fn an_invalid_glob_names_its_field() {
    let e = Pattern::new(GlobField::Exclude, "a[").unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidGlob {
            field: GlobField::Exclude,
            ..
        }
    ));
}

#[test]
fn json_has_the_issue_s_shape() {
    let f = facts(vec![
        fact("a", "x", Some(10)),
        fact("b", "x", Some(10)),
        fact("keep", "y", None),
        fact("p", "y", Some(20)),
    ]);
    let p = plan(
        &Rules {
            exclude: Some(Pattern::new(GlobField::Exclude, "keep").unwrap()),
            ..rules(0)
        },
        &f,
    );
    let v = serde_json::to_value(&p).unwrap();
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        ["bytes_freed_estimate", "delete", "keep", "protected"]
    );
    assert_eq!(
        v["delete"][0],
        serde_json::json!({"tag": "a", "digest": d("x").as_str(), "created": "1972-09-17T00:00:00Z"})
    );
    assert_eq!(
        v["keep"][0],
        serde_json::json!({"tag": "keep", "digest": d("y").as_str(), "created": null, "reason": "excluded"})
    );
    assert_eq!(
        v["protected"][0],
        serde_json::json!({"tag": "p", "digest": d("y").as_str(), "because": "keep"})
    );
}
