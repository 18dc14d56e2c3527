//! Attestations, SBOMs and provenance (issue 20, part B) against a real registry
//! (distribution 2.8, no referrers API): an SPDX 2.3 and a `CycloneDX` 1.5 document attached as
//! artifacts with a `subject` and listed by the `sha256-HEX` fallback index, the same in a
//! `BuildKit` index's attestation manifests beside SLSA provenance, a cosign `.att` tag, and
//! bad documents (over the cap, 100,000 packages, JSON that is no SBOM).

use crate::support::http::Pusher;
use crate::support::oci::{
    self, CREATED, Descriptor, MT_OCI_CONFIG, MT_OCI_EMPTY, MT_OCI_INDEX, MT_OCI_MANIFEST,
};
use crate::support::{Auth, FreshOptions, TestRegistry, berth_cmd, fresh_registry};
use base64::Engine as _;
use serde_json::{Value, json};

pub const SPDX_PACKAGES: usize = 300;
pub const CDX_PACKAGES: usize = 250;
pub const HUGE_PACKAGES: usize = 100_000;
pub const ATT_PREDICATE: &str = "https://cosign.sigstore.dev/attestation/vuln/v1";
pub const BUILDER: &str = "https://github.com/docker/buildx@v0.12";
pub const SOURCE: &str = "https://github.com/example/app.git";

pub fn spdx_doc(n: usize) -> Vec<u8> {
    let packages: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "SPDXID": format!("SPDXRef-p{i}"), "name": format!("spdx-pkg-{i}"),
                "versionInfo": format!("1.{i}"), "licenseConcluded": "MIT",
                "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                  "referenceLocator": format!("pkg:npm/spdx-pkg-{i}@1.{i}")}]
            })
        })
        .collect();
    serde_json::to_vec(&json!({
        "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "app",
        "dataLicense": "CC0-1.0", "packages": packages,
    }))
    .expect("spdx")
}

pub fn cdx_doc(n: usize) -> Vec<u8> {
    let components: Vec<Value> = (0..n)
        .map(|i| {
            json!({"type": "library", "name": format!("cdx-pkg-{i}"), "version": format!("2.{i}"),
                   "purl": format!("pkg:deb/debian/cdx-pkg-{i}@2.{i}"),
                   "licenses": [{"license": {"id": "Apache-2.0"}}]})
        })
        .collect();
    serde_json::to_vec(
        &json!({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                               "components": components}),
    )
    .expect("cdx")
}

fn statement(predicate_type: &str, predicate: &Value, subject: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "_type": "https://in-toto.io/Statement/v0.1", "predicateType": predicate_type,
        "subject": [{"name": "app", "digest": {"sha256": subject.trim_start_matches("sha256:")}}],
        "predicate": predicate,
    }))
    .expect("statement")
}

/// Pushes a small single-platform image; returns its manifest bytes and digest.
fn push_image(p: &Pusher, repo: &str, tag: &str, arch: &str) -> (Vec<u8>, String) {
    let config = serde_json::to_vec(&json!({
        "architecture": arch, "os": "linux", "created": CREATED,
        "rootfs": {"type": "layers", "diff_ids": []},
    }))
    .expect("config");
    p.put_blob(repo, &config);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": MT_OCI_MANIFEST,
        "config": Descriptor::new(MT_OCI_CONFIG, &config).to_json(), "layers": [],
    }))
    .expect("manifest");
    let digest = p.put_manifest(repo, tag, MT_OCI_MANIFEST, &manifest);
    (manifest, digest)
}

/// Attaches `doc` (of `media_type`) to the image as an artifact with a `subject`, and writes
/// the `sha256-HEX` fallback index listing it.
fn attach(p: &Pusher, repo: &str, image: &(Vec<u8>, String), media_type: &str, doc: &[u8]) {
    p.put_blob(repo, doc);
    p.put_blob(repo, b"{}");
    let artifact = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": MT_OCI_MANIFEST, "artifactType": media_type,
        "config": {"mediaType": MT_OCI_EMPTY, "digest": oci::sha256_digest(b"{}"), "size": 2},
        "layers": [Descriptor::new(media_type, doc).to_json()],
        "subject": Descriptor::new(MT_OCI_MANIFEST, &image.0).to_json(),
    }))
    .expect("artifact");
    let digest = p.put_manifest(
        repo,
        &oci::sha256_digest(&artifact),
        MT_OCI_MANIFEST,
        &artifact,
    );
    let mut desc = Descriptor::new(MT_OCI_MANIFEST, &artifact);
    desc.artifact_type = Some(media_type.to_owned());
    assert_eq!(desc.digest, digest);
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": MT_OCI_INDEX, "manifests": [desc.to_json()],
    }))
    .expect("index");
    let tag = image.1.replace(':', "-");
    p.put_manifest(repo, &tag, MT_OCI_INDEX, &index);
}

/// Every fixture repository of this file, in one fresh registry.
pub fn trust_registry() -> TestRegistry {
    let reg = fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let p = Pusher::new(&reg.url(), reg.credentials());
    // trust/spdx: an SPDX 2.3 artifact, and a cosign .att tag with a DSSE envelope.
    let image = push_image(&p, "trust/spdx", "v1", "amd64");
    attach(
        &p,
        "trust/spdx",
        &image,
        "application/spdx+json",
        &spdx_doc(SPDX_PACKAGES),
    );
    let payload = base64::engine::general_purpose::STANDARD.encode(statement(
        ATT_PREDICATE,
        &json!({"scanner": {"uri": "x"}}),
        &image.1,
    ));
    let envelope = serde_json::to_vec(&json!({
        "payloadType": "application/vnd.in-toto+json", "payload": payload,
        "signatures": [{"keyid": "", "sig": "AAAA"}],
    }))
    .expect("envelope");
    p.put_blob("trust/spdx", &envelope);
    let config =
        br#"{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}"#;
    p.put_blob("trust/spdx", config);
    let att = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": MT_OCI_MANIFEST,
        "config": Descriptor::new(MT_OCI_CONFIG, config).to_json(),
        "layers": [Descriptor::new("application/vnd.dsse.envelope.v1+json", &envelope).to_json()],
    }))
    .expect("att");
    let att_tag = format!("{}.att", image.1.replace(':', "-"));
    p.put_manifest("trust/spdx", &att_tag, MT_OCI_MANIFEST, &att);
    // trust/cdx: a CycloneDX 1.5 artifact.
    let image = push_image(&p, "trust/cdx", "v1", "amd64");
    attach(
        &p,
        "trust/cdx",
        &image,
        "application/vnd.cyclonedx+json",
        &cdx_doc(CDX_PACKAGES),
    );
    // trust/multi: a BuildKit index, amd64 and arm64, with amd64's attestation manifest.
    push_buildkit_index(&p, "trust/multi");
    // Bad documents.
    let image = push_image(&p, "trust/huge", "v1", "amd64");
    attach(
        &p,
        "trust/huge",
        &image,
        "application/spdx+json",
        &spdx_doc(HUGE_PACKAGES),
    );
    let image = push_image(&p, "trust/notsbom", "v1", "amd64");
    attach(
        &p,
        "trust/notsbom",
        &image,
        "application/spdx+json",
        br#"{"hello":"world"}"#,
    );
    let image = push_image(&p, "trust/big", "v1", "amd64");
    let mut big = br#"{"spdxVersion":"SPDX-2.3","comment":""#.to_vec();
    big.resize(big.len() + 64 * 1024 * 1024 + 10, b'a');
    big.extend_from_slice(br#"","packages":[]}"#);
    attach(&p, "trust/big", &image, "application/spdx+json", &big);
    push_image(&p, "trust/none", "v1", "amd64");
    reg
}

fn push_buildkit_index(p: &Pusher, repo: &str) {
    let amd = push_image(p, repo, "amd64", "amd64");
    let arm = push_image(p, repo, "arm64", "arm64");
    let sbom = statement(
        "https://spdx.dev/Document",
        &serde_json::from_slice(&spdx_doc(SPDX_PACKAGES)).expect("doc"),
        &amd.1,
    );
    let provenance = statement(
        "https://slsa.dev/provenance/v0.2",
        &json!({"builder": {"id": BUILDER}, "buildType": "https://mobyproject.org/buildkit@v1",
                "invocation": {"configSource": {"uri": SOURCE, "digest": {"sha1": "0123abcd"},
                  "entryPoint": "Dockerfile"}, "parameters": {"frontend": "dockerfile.v0",
                  "args": {"build-arg:VERSION": "1.2"}}}}),
        &amd.1,
    );
    p.put_blob(repo, &sbom);
    p.put_blob(repo, &provenance);
    p.put_blob(repo, b"{}");
    let layer = |doc: &[u8], predicate: &str| {
        let mut v = Descriptor::new("application/vnd.in-toto+json", doc).to_json();
        v["annotations"] = json!({"in-toto.io/predicate-type": predicate});
        v
    };
    let att = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": MT_OCI_MANIFEST,
        "config": {"mediaType": MT_OCI_CONFIG, "digest": oci::sha256_digest(b"{}"), "size": 2},
        "layers": [layer(&sbom, "https://spdx.dev/Document"),
                   layer(&provenance, "https://slsa.dev/provenance/v0.2")],
    }))
    .expect("att");
    let att_digest = p.put_manifest(repo, &oci::sha256_digest(&att), MT_OCI_MANIFEST, &att);
    let entry = |m: &[u8], arch: &str| {
        let mut d = Descriptor::new(MT_OCI_MANIFEST, m);
        d.platform = Some(oci::Platform::linux(if arch == "amd64" {
            "amd64"
        } else {
            "arm64"
        }));
        d.to_json()
    };
    let mut att_entry = Descriptor::new(MT_OCI_MANIFEST, &att).to_json();
    att_entry["platform"] = json!({"os": "unknown", "architecture": "unknown"});
    att_entry["annotations"] = json!({"vnd.docker.reference.type": "attestation-manifest",
                                       "vnd.docker.reference.digest": amd.1});
    assert_eq!(att_entry["digest"], json!(att_digest));
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": MT_OCI_INDEX,
        "manifests": [entry(&amd.0, "amd64"), entry(&arm.0, "arm64"), att_entry],
    }))
    .expect("index");
    p.put_manifest(repo, "v1", MT_OCI_INDEX, &index);
}

pub fn shared() -> &'static TestRegistry {
    static REG: std::sync::OnceLock<TestRegistry> = std::sync::OnceLock::new();
    REG.get_or_init(trust_registry)
}

/// `berth --plain-http ARGS` (the callers name hosts of [`shared`], already started).
fn berth(args: &[&str]) -> std::process::Output {
    let mut all = vec!["--plain-http"];
    all.extend_from_slice(args);
    berth_cmd().args(&all).output().expect("run berth")
}

fn sbom_json(reference: &str, platform: &str) -> Value {
    let out = berth(&["sbom", reference, "--platform", platform, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn spdx_and_cyclonedx_artifacts_list_their_packages_in_one_shape() {
    let host = shared().host();
    let spdx = sbom_json(&format!("{host}/trust/spdx:v1"), "linux/amd64");
    assert_eq!(spdx["format"], "spdx");
    let packages = spdx["packages"].as_array().expect("packages");
    assert_eq!(packages.len(), SPDX_PACKAGES);
    assert_eq!(
        packages[7],
        json!({"name": "spdx-pkg-7", "version": "1.7", "type": "npm", "license": "MIT",
               "purl": "pkg:npm/spdx-pkg-7@1.7"})
    );
    let object = spdx.as_object().expect("object");
    assert_eq!(object.keys().collect::<Vec<_>>(), ["format", "packages"]);

    let cdx = sbom_json(&format!("{host}/trust/cdx:v1"), "linux/amd64");
    assert_eq!(cdx["format"], "cyclonedx");
    let packages = cdx["packages"].as_array().expect("packages");
    assert_eq!(packages.len(), CDX_PACKAGES);
    assert_eq!(packages[3]["type"], "deb");
    assert_eq!(packages[3]["license"], "Apache-2.0");
}

#[test]
fn a_buildkit_index_lists_only_real_platforms_and_its_attestations_apart() {
    let host = shared().host();
    let reference = format!("{host}/trust/multi:v1");
    let out = berth(&["inspect", &reference, "--platform", "linux/amd64", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let platforms: Vec<String> = v["platforms"]
        .as_array()
        .expect("platforms")
        .iter()
        .map(|p| {
            format!(
                "{}/{}",
                p["platform"]["os"].as_str().unwrap_or("?"),
                p["platform"]["architecture"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert_eq!(platforms, ["linux/amd64", "linux/arm64"]);
    let attestations = v["attestations"].as_array().expect("attestations");
    assert_eq!(attestations.len(), 1);
    assert_eq!(attestations[0]["platform"]["architecture"], "amd64");
    assert_eq!(attestations[0]["subject"], v["image"]["digest"]);

    // The SBOM in the attestation manifest, for amd64; arm64 has none and says where it looked.
    let sbom = sbom_json(&reference, "linux/amd64");
    assert_eq!(
        sbom["packages"].as_array().map(Vec::len),
        Some(SPDX_PACKAGES)
    );
    let out = berth(&["sbom", &reference, "--platform", "linux/arm64"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("No SBOM found") && err.contains("referrers of"),
        "{err}"
    );

    // The human inspect shows the provenance and the attestations, no unknown platform.
    let out = berth(&["inspect", &reference, "--platform", "linux/amd64"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("unknown/unknown"), "{text}");
    assert!(
        text.contains(BUILDER) && text.contains(SOURCE) && text.contains("0123abcd"),
        "{text}"
    );
    assert!(text.contains("build-arg:VERSION=1.2"), "{text}");
    assert!(text.contains("https://spdx.dev/Document"), "{text}");
}

#[test]
fn a_cosign_att_tag_lists_its_predicate_type() {
    let host = shared().host();
    let out = berth(&["inspect", &format!("{host}/trust/spdx:v1")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(ATT_PREDICATE) && text.contains("cosign .att"),
        "{text}"
    );
    assert!(text.contains("SBOMs found: 1"), "{text}");
}

#[test]
fn bad_sboms_end_in_clear_errors() {
    let host = shared().host();
    let out = berth(&[
        "sbom",
        &format!("{host}/trust/big:v1"),
        "--platform",
        "linux/amd64",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("64.0 MiB") || err.contains("64 MiB"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let out = berth(&[
        "sbom",
        &format!("{host}/trust/notsbom:v1"),
        "--platform",
        "linux/amd64",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("neither an SPDX nor a CycloneDX document"),
        "{err}"
    );

    let out = berth(&[
        "sbom",
        &format!("{host}/trust/none:v1"),
        "--platform",
        "linux/amd64",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("No SBOM found") && err.contains(".sbom"),
        "{err}"
    );

    let huge = sbom_json(&format!("{host}/trust/huge:v1"), "linux/amd64");
    assert_eq!(
        huge["packages"].as_array().map(Vec::len),
        Some(HUGE_PACKAGES)
    );
}
