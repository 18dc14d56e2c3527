//! Referrers on distribution 2.8, which has no referrers API: the lookup says whether the
//! fallback tag was there, and the search through the tags finds an artifact whose `subject`
//! names the image although no fallback tag lists it.

use super::registry_read::{at, client, repo_name};
use crate::support::http::Pusher;
use crate::support::oci::{
    self, CREATED, Descriptor, MT_OCI_CONFIG, MT_OCI_EMPTY, MT_OCI_MANIFEST,
};
use crate::support::{Auth, FreshOptions, TestRegistry, fresh_registry};
use berth::oci::Digest;
use berth::registry::{LookedBy, SubjectCache};
use serde_json::json;

/// The repository the pushed image and artifact live in.
pub const REPO: &str = "refs/app";
/// The image's tag.
pub const IMAGE_TAG: &str = "v1";
/// The artifact's tag: tagged, so a look through the tags can find it.
pub const ARTIFACT_TAG: &str = "v1-sig";
/// The artifact's type.
pub const ARTIFACT_TYPE: &str = "application/vnd.example.signature.v1+json";

/// The one layer both images share.
const LAYER: &[oci::Entry] = &[oci::file("etc/hello", 12)];

/// What [`push_image_and_artifact`] pushed: both digests.
pub struct Pushed {
    pub image: String,
    pub artifact: String,
}

/// Pushes a small image (`REPO:IMAGE_TAG`), an unrelated image (`other`) and an artifact
/// (`REPO:ARTIFACT_TAG`) whose subject is the image, without writing the `sha256-HEX`
/// fallback tag (as a tool that only speaks the referrers API would leave it).
pub fn push_image_and_artifact(reg: &TestRegistry) -> Pushed {
    let p = Pusher::new(&reg.url(), reg.credentials());
    let layer = oci::build_layer(
        &oci::LayerSpec {
            entries: LAYER,
            compression: oci::Compression::None,
            created_by: "COPY hello /etc/hello",
        },
        "refs",
    );
    p.put_blob(REPO, &layer.blob);
    let layer_desc = Descriptor::new(layer.media_type, &layer.blob);
    let image = |label: &str| {
        let config = serde_json::to_vec(&json!({
            "architecture": "amd64", "os": "linux", "created": CREATED,
            "config": { "Labels": { "which": label } },
            "rootfs": { "type": "layers", "diff_ids": [layer.diff_id] },
        }))
        .expect("config JSON");
        p.put_blob(REPO, &config);
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": MT_OCI_MANIFEST,
            "config": Descriptor::new(MT_OCI_CONFIG, &config).to_json(),
            "layers": [layer_desc.to_json()],
        }))
        .expect("manifest JSON");
        (
            manifest.clone(),
            Descriptor::new(MT_OCI_MANIFEST, &manifest),
        )
    };
    let (v1, v1_desc) = image("v1");
    let image_digest = p.put_manifest(REPO, IMAGE_TAG, MT_OCI_MANIFEST, &v1);
    let (other, _) = image("other");
    p.put_manifest(REPO, "other", MT_OCI_MANIFEST, &other);
    p.put_blob(REPO, b"{}");
    let signature = br#"{"signed":"v1"}"#;
    p.put_blob(REPO, signature);
    let artifact = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": MT_OCI_MANIFEST,
        "artifactType": ARTIFACT_TYPE,
        "config": { "mediaType": MT_OCI_EMPTY, "digest": oci::sha256_digest(b"{}"), "size": 2 },
        "layers": [Descriptor::new(ARTIFACT_TYPE, signature).to_json()],
        "subject": v1_desc.to_json(),
        "annotations": { "org.opencontainers.image.created": CREATED },
    }))
    .expect("artifact JSON");
    let artifact_digest = p.put_manifest(REPO, ARTIFACT_TAG, MT_OCI_MANIFEST, &artifact);
    Pushed {
        image: image_digest,
        artifact: artifact_digest,
    }
}

pub fn registry_with_artifact() -> (TestRegistry, Pushed) {
    let reg = fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let pushed = push_image_and_artifact(&reg);
    (reg, pushed)
}

#[tokio::test]
async fn without_api_or_fallback_tag_the_lookup_says_so_and_the_search_finds_the_artifact() {
    let (reg, pushed) = registry_with_artifact();
    let c = client(&reg);
    let repo = repo_name(REPO);
    let image = Digest::parse(&pushed.image).expect("digest");

    let lookup = c
        .lookup_referrers(&repo, &image, None)
        .await
        .expect("lookup");
    assert_eq!(lookup.looked_by, LookedBy::NoApiNoFallbackTag);
    assert!(lookup.referrers.is_empty());

    let cache = SubjectCache::default();
    let search = c
        .find_referrers_by_subject(&repo, &image, &cache)
        .await
        .expect("search");
    assert_eq!(search.tags_total, 3, "v1, other and the artifact's tag");
    assert_eq!(search.looked_at, 3);
    assert!(!search.truncated());
    assert_eq!(search.found.len(), 1, "{search:?}");
    let found = &search.found[0];
    assert_eq!(found.referrer.digest.as_str(), pushed.artifact);
    assert_eq!(found.referrer.artifact_type.as_deref(), Some(ARTIFACT_TYPE));
    assert_eq!(found.tags, vec![ARTIFACT_TAG.to_owned()]);
    assert_eq!(search.fetched, 3);

    // A second search reads no manifest again: each is known by its digest.
    let again = c
        .find_referrers_by_subject(&repo, &image, &cache)
        .await
        .expect("search again");
    assert_eq!(again.found, search.found);
    assert_eq!(again.fetched, 0);

    // The unrelated image has no referrer.
    let other = c.head_manifest(&repo, &at("other")).await.expect("head");
    let none = c
        .find_referrers_by_subject(&repo, &other.digest, &cache)
        .await
        .expect("search other");
    assert!(none.found.is_empty());
}

#[tokio::test]
async fn with_the_fallback_tag_the_lookup_names_it() {
    use crate::support::fixtures::{SBOM_ARTIFACT_TYPE, seeded_digest};
    let reg = crate::support::registry(Auth::Anonymous);
    let c = client(reg);
    let image = Digest::parse(&seeded_digest("team/app/api:v1")).expect("digest");
    let lookup = c
        .lookup_referrers(&repo_name("team/app/api"), &image, None)
        .await
        .expect("lookup");
    assert_eq!(lookup.looked_by, LookedBy::FallbackTag);
    assert_eq!(lookup.referrers.len(), 1);
    assert_eq!(
        lookup.referrers[0].artifact_type.as_deref(),
        Some(SBOM_ARTIFACT_TYPE)
    );
}
