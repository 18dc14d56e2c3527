//! Cosign signatures made by an independent tool (`openssl`) over simple-signing payloads,
//! pushed in cosign's layout as a `sha256-HEX.sig` tag to the real registry, and judged by
//! `trust::find` and `berth verify`: verified with each key type, invalid for another digest,
//! a changed payload, a signature that is not base64 and a payload that is not JSON;
//! unverified without a key, with a key of another kind, for a keyless certificate (identity
//! shown, not checked) and for a certificate that does not parse.

use super::registry_read::{at, client, repo_name};
use crate::support::http::Pusher;
use crate::support::oci::{self, Descriptor, MT_OCI_CONFIG, MT_OCI_MANIFEST};
use crate::support::{Auth, FreshOptions, TestRegistry, berth_cmd, fresh_registry};
use berth::trust::find;
use berth::trust::keys::PublicKey;
use berth::trust::signatures::{SigKind, SigReason, SigState, Signature};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command;

pub const REPO: &str = "sig/app";
const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";

/// Keys made by openssl: private PEM and public PEM paths per kind.
pub struct Keys {
    pub dir: tempfile::TempDir,
}

fn openssl(args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Keys {
    pub fn generate() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = Self { dir };
        for (name, command) in [
            (
                "p256",
                &[
                    "ecparam",
                    "-name",
                    "prime256v1",
                    "-genkey",
                    "-noout",
                    "-out",
                ][..],
            ),
            (
                "other256",
                &[
                    "ecparam",
                    "-name",
                    "prime256v1",
                    "-genkey",
                    "-noout",
                    "-out",
                ][..],
            ),
            (
                "cert256",
                &[
                    "ecparam",
                    "-name",
                    "prime256v1",
                    "-genkey",
                    "-noout",
                    "-out",
                ][..],
            ),
            (
                "p384",
                &["ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out"][..],
            ),
            (
                "rsa",
                &[
                    "genpkey",
                    "-algorithm",
                    "RSA",
                    "-pkeyopt",
                    "rsa_keygen_bits:2048",
                    "-out",
                ][..],
            ),
            ("ed25519", &["genpkey", "-algorithm", "ed25519", "-out"][..]),
        ] {
            let private = keys.private(name);
            let mut args: Vec<&str> = command.to_vec();
            let p = private.to_str().expect("path");
            args.push(p);
            openssl(&args);
            let public = keys.public(name);
            openssl(&[
                "pkey",
                "-in",
                p,
                "-pubout",
                "-out",
                public.to_str().expect("path"),
            ]);
        }
        keys
    }
    pub fn private(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("{name}.key"))
    }
    pub fn public(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("{name}.pub"))
    }
    /// Signs `payload` with the private key `name`, as cosign would (DER ECDSA, PKCS#1 v1.5
    /// RSA over SHA-256, raw Ed25519), and gives the base64 signature.
    pub fn sign(&self, name: &str, payload: &[u8]) -> String {
        use base64::Engine as _;
        let input = self.dir.path().join("payload");
        let output = self.dir.path().join("sig");
        std::fs::write(&input, payload).expect("write payload");
        let (key, i, o) = (
            self.private(name),
            input.to_str().expect("path").to_owned(),
            output.to_str().expect("path").to_owned(),
        );
        let key = key.to_str().expect("path");
        match name {
            "ed25519" => openssl(&[
                "pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", &i, "-out", &o,
            ]),
            "p384" => openssl(&["dgst", "-sha384", "-sign", key, "-out", &o, &i]),
            _ => openssl(&["dgst", "-sha256", "-sign", key, "-out", &o, &i]),
        }
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(&output).expect("sig"))
    }
    /// A self-signed certificate for the key `name` with an e-mail SAN and Fulcio's OIDC
    /// issuer extension, as keyless signing leaves in the annotation.
    pub fn certificate(&self, name: &str) -> String {
        let out = self.dir.path().join(format!("{name}.crt"));
        openssl(&[
            "req",
            "-x509",
            "-new",
            "-key",
            self.private(name).to_str().expect("path"),
            "-subj",
            "/O=sigstore.dev",
            "-addext",
            "subjectAltName=email:dev@example.com",
            "-addext",
            "1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:https://accounts.example.com",
            "-days",
            "1",
            "-out",
            out.to_str().expect("path"),
        ]);
        std::fs::read_to_string(out).expect("certificate")
    }
}

/// A simple-signing payload for `digest`.
pub fn payload(digest: &str, reference: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "critical": {
            "identity": { "docker-reference": reference },
            "image": { "docker-manifest-digest": digest },
            "type": "cosign container image signature"
        },
        "optional": null
    }))
    .expect("payload")
}

/// Pushes a small image tagged `tag` (its label makes the digest its own); its digest.
pub fn push_image(p: &Pusher, tag: &str) -> String {
    let layer = b"layer";
    p.put_blob(REPO, layer);
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux", "created": oci::CREATED,
        "config": { "Labels": { "which": tag } },
        "rootfs": { "type": "layers", "diff_ids": [oci::sha256_digest(layer)] },
    }))
    .expect("config");
    p.put_blob(REPO, &config);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": MT_OCI_MANIFEST,
        "config": Descriptor::new(MT_OCI_CONFIG, &config).to_json(),
        "layers": [Descriptor::new("application/vnd.oci.image.layer.v1.tar", layer).to_json()],
    }))
    .expect("manifest");
    p.put_manifest(REPO, tag, MT_OCI_MANIFEST, &manifest)
}

/// Pushes the `.sig` manifest of `digest` with one layer per (payload, annotations).
pub fn push_signatures(p: &Pusher, digest: &str, layers: &[(Vec<u8>, Value)]) {
    let config = b"{}";
    p.put_blob(REPO, config);
    let descs: Vec<Value> = layers
        .iter()
        .map(|(payload, annotations)| {
            p.put_blob(REPO, payload);
            let mut d = Descriptor::new(SIMPLE_SIGNING, payload).to_json();
            d["annotations"] = annotations.clone();
            d
        })
        .collect();
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": MT_OCI_MANIFEST,
        "config": Descriptor::new(MT_OCI_CONFIG, config).to_json(),
        "layers": descs,
    }))
    .expect("sig manifest");
    let tag = format!("{}.sig", digest.replace(':', "-"));
    p.put_manifest(REPO, &tag, MT_OCI_MANIFEST, &manifest);
}

fn sig(signature: &str) -> Value {
    json!({ "dev.cosignproject.cosign/signature": signature })
}

/// What [`signed_registry`] pushed.
pub struct Signed {
    pub reg: TestRegistry,
    pub keys: Keys,
    /// Signed by every kind of key, and every bad case besides.
    pub all: String,
    /// Signed only by the P-256 key.
    pub good: String,
    /// Its only signature's payload was changed after signing.
    pub tampered: String,
    /// No signature.
    pub unsigned: String,
}

pub fn signed_registry() -> Signed {
    let reg = fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let keys = Keys::generate();
    let p = Pusher::new(&reg.url(), reg.credentials());
    let reference = format!("{}/{REPO}", reg.host());
    let all = push_image(&p, "all");
    let good = push_image(&p, "good");
    let tampered = push_image(&p, "tampered");
    let unsigned = push_image(&p, "unsigned");

    let ok = payload(&all, &reference);
    let other = payload(&good, &reference);
    let changed = payload(&all, "evil.example/app");
    let not_json = b"this is not JSON".to_vec();
    let cert = keys.certificate("cert256");
    let layers = vec![
        (ok.clone(), sig(&keys.sign("p256", &ok))),
        (ok.clone(), sig(&keys.sign("p384", &ok))),
        (ok.clone(), sig(&keys.sign("rsa", &ok))),
        (ok.clone(), sig(&keys.sign("ed25519", &ok))),
        (other.clone(), sig(&keys.sign("p256", &other))),
        (changed, sig(&keys.sign("p256", &ok))),
        (ok.clone(), sig("%%% not base64 %%%")),
        (not_json.clone(), sig(&keys.sign("p256", &not_json))),
        (
            ok.clone(),
            json!({
                "dev.cosignproject.cosign/signature": keys.sign("cert256", &ok),
                "dev.sigstore.cosign/certificate": cert,
            }),
        ),
        (
            ok.clone(),
            json!({
                "dev.cosignproject.cosign/signature": keys.sign("other256", &ok),
                "dev.sigstore.cosign/certificate":
                    "-----BEGIN CERTIFICATE-----\nMIIBkzCCATmgAwIBAgIU\n-----END CERTIFICATE-----\n",
            }),
        ),
    ];
    push_signatures(&p, &all, &layers);
    let good_payload = payload(&good, &reference);
    push_signatures(
        &p,
        &good,
        &[(good_payload.clone(), sig(&keys.sign("p256", &good_payload)))],
    );
    let t_payload = payload(&tampered, &reference);
    let mut t_changed = t_payload.clone();
    t_changed.extend_from_slice(b" ");
    push_signatures(
        &p,
        &tampered,
        &[(t_changed, sig(&keys.sign("p256", &t_payload)))],
    );
    Signed {
        reg,
        keys,
        all,
        good,
        tampered,
        unsigned,
    }
}

fn load(keys: &Keys, names: &[&str]) -> Vec<PublicKey> {
    names
        .iter()
        .map(|n| PublicKey::load(&keys.public(n)).expect("key loads"))
        .collect()
}

async fn judged(s: &Signed, tag: &str, keys: &[PublicKey]) -> Vec<Signature> {
    let c = client(&s.reg);
    let repo = repo_name(REPO);
    let image = c.manifest(&repo, &at(tag)).await.expect("image");
    find::signatures(&c, &repo, &image, keys)
        .await
        .expect("signatures")
}

fn states(sigs: &[Signature]) -> Vec<(SigState, SigReason)> {
    sigs.iter().map(|s| (s.state, s.reason)).collect()
}

#[tokio::test]
async fn each_key_type_verifies_and_each_bad_case_has_its_state() {
    use SigReason as R;
    use SigState as S;
    let s = signed_registry();
    let keys = load(&s.keys, &["p256", "p384", "rsa", "ed25519"]);
    let sigs = judged(&s, "all", &keys).await;
    assert_eq!(
        states(&sigs),
        vec![
            (S::Verified, R::KeyChecked),
            (S::Verified, R::KeyChecked),
            (S::Verified, R::KeyChecked),
            (S::Verified, R::KeyChecked),
            (S::Invalid, R::DigestDiffers),
            (S::Invalid, R::SignatureFails),
            (S::Invalid, R::NotBase64),
            (S::Invalid, R::PayloadNotJson),
            (S::Unverified, R::KeylessNotChecked),
            (S::Unverified, R::CertificateUnreadable),
        ],
        "{sigs:#?}"
    );
    for (sig, name) in sigs.iter().zip(["p256", "p384", "rsa", "ed25519"]) {
        let key = s.keys.public(name).display().to_string();
        assert_eq!(sig.key.as_deref(), Some(key.as_str()));
        assert_eq!(sig.kind, SigKind::Cosign);
    }
    assert!(
        sigs[4..].iter().all(|g| g.key.is_none()),
        "only a checked signature names a key"
    );
    assert!(
        sigs.iter()
            .all(|g| g.subject == s.all && g.source.ends_with(".sig"))
    );
    assert_eq!(sigs[4].claimed_digest.as_deref(), Some(s.good.as_str()));
    let cert = sigs[8].certificate.as_ref().expect("keyless identity");
    assert_eq!(cert.san, vec!["dev@example.com".to_owned()]);
    assert_eq!(
        cert.oidc_issuer.as_deref(),
        Some("https://accounts.example.com")
    );
    assert_eq!(cert.subject, "O=sigstore.dev");
    assert!(sigs[9].certificate.is_none());
    // The words say which digest and that the log is not checked.
    berth::i18n::set_thread_lang(berth::i18n::Lang::En);
    let reason = berth::i18n::signature_reason(&sigs[4]);
    assert!(reason.contains(&s.good), "{reason}");
    let keyless = berth::i18n::signature_reason(&sigs[8]);
    assert!(
        keyless.contains("dev@example.com")
            && keyless.contains("https://accounts.example.com")
            && keyless.contains("transparency log")
            && !keyless.contains("verified"),
        "{keyless}"
    );
}

#[tokio::test]
async fn without_a_key_or_with_another_kind_of_key_nothing_is_verified() {
    let s = signed_registry();
    let none = judged(&s, "good", &[]).await;
    assert_eq!(
        states(&none),
        vec![(SigState::Unverified, SigReason::NoKey)]
    );
    assert_eq!(none[0].claimed_digest.as_deref(), Some(s.good.as_str()));
    let other_kind = judged(&s, "good", &load(&s.keys, &["ed25519", "rsa"])).await;
    assert_eq!(
        states(&other_kind),
        vec![(SigState::Unverified, SigReason::NoKeyMatches)]
    );
    // A key of the same kind that did not sign it: the signature fails with it.
    let same_kind = judged(&s, "good", &load(&s.keys, &["other256"])).await;
    assert_eq!(
        states(&same_kind),
        vec![(SigState::Invalid, SigReason::SignatureFails)]
    );
    let tampered = judged(&s, "tampered", &load(&s.keys, &["p256"])).await;
    assert_eq!(tampered[0].subject, s.tampered);
    assert_eq!(
        states(&tampered),
        vec![(SigState::Invalid, SigReason::SignatureFails)]
    );
    assert!(
        judged(&s, "unsigned", &load(&s.keys, &["p256"]))
            .await
            .is_empty()
    );
    assert_ne!(s.unsigned, s.good);
}

fn verify(s: &Signed, tag: &str, keys: &[&str], json: bool) -> std::process::Output {
    let mut cmd = berth_cmd();
    cmd.args(["verify", &format!("http://{}/{REPO}:{tag}", s.reg.host())]);
    for k in keys {
        cmd.arg("--key").arg(s.keys.public(k));
    }
    if json {
        cmd.arg("--json");
    }
    cmd.output().expect("run berth verify")
}

fn one_line(out: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "must fail: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

#[test]
fn verify_exits_zero_only_for_a_verified_signature_and_says_why_otherwise() {
    let s = signed_registry();
    let out = verify(&s, "good", &["p384", "p256"], true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let first = &v["signatures"][0];
    assert_eq!(first["state"], "verified");
    assert_eq!(first["reason"], "key-checked");
    assert_eq!(first["kind"], "cosign");
    assert_eq!(first["key"], s.keys.public("p256").display().to_string());

    let err = one_line(&verify(&s, "tampered", &["p256"], false));
    assert!(
        err.contains("invalid") && err.contains("payload was changed"),
        "{err}"
    );
    let err = one_line(&verify(&s, "good", &[], false));
    assert!(err.contains("no key given"), "{err}");
    let err = one_line(&verify(&s, "good", &["ed25519"], false));
    assert!(err.contains("none of 1 signatures"), "{err}");
    let err = one_line(&verify(&s, "unsigned", &["p256"], false));
    assert!(err.contains("No signature found"), "{err}");
    let out = verify(&s, "good", &[], true);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["signatures"][0]["state"], "unverified");
    assert_eq!(v["signatures"][0]["key"], Value::Null);

    // A key file that is not a PEM public key is named.
    let bad = s.keys.dir.path().join("not.pub");
    std::fs::write(&bad, "hello").expect("write");
    let out = berth_cmd()
        .args([
            "verify",
            &format!("http://{}/{REPO}:good", s.reg.host()),
            "--key",
        ])
        .arg(&bad)
        .output()
        .expect("run");
    let err = one_line(&out);
    assert!(err.contains("no PEM public key"), "{err}");
}

#[test]
fn inspect_prints_a_one_line_signature_summary() {
    let s = signed_registry();
    let summary = |tag: &str| {
        let out = berth_cmd()
            .args(["inspect", &format!("http://{}/{REPO}:{tag}", s.reg.host())])
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .find(|l| l.starts_with("Signatures: "))
            .unwrap_or_else(|| panic!("no summary in {text}"))
            .to_owned()
    };
    assert_eq!(summary("good"), "Signatures: Signed, not verified (1)");
    assert_eq!(summary("tampered"), "Signatures: Signed, not verified (1)");
    assert_eq!(summary("unsigned"), "Signatures: Unsigned");
}

/// Pushes `artifact` (an OCI manifest JSON whose subject is `subject`) and lists it in the
/// `sha256-HEX` fallback index with `artifact_type`, as tools do on registries without the
/// referrers API.
fn push_referrer(p: &Pusher, subject: &str, artifact_type: &str, layer_type: &str, blob: &[u8]) {
    p.put_blob(REPO, b"{}");
    p.put_blob(REPO, blob);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": MT_OCI_MANIFEST,
        "artifactType": artifact_type,
        "config": { "mediaType": "application/vnd.oci.empty.v1+json",
                    "digest": oci::sha256_digest(b"{}"), "size": 2 },
        "layers": [Descriptor::new(layer_type, blob).to_json()],
    }))
    .expect("artifact");
    let digest = p.put_manifest(
        REPO,
        &oci::sha256_digest(&manifest),
        MT_OCI_MANIFEST,
        &manifest,
    );
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": MT_OCI_MANIFEST, "digest": digest, "size": manifest.len(),
            "artifactType": artifact_type,
        }],
    }))
    .expect("index");
    p.put_manifest(
        REPO,
        &subject.replace(':', "-"),
        "application/vnd.oci.image.index.v1+json",
        &index,
    );
}

#[tokio::test]
async fn a_notation_signature_shows_its_signer_and_stays_unverified() {
    use base64::Engine as _;
    let s = signed_registry();
    let p = Pusher::new(&s.reg.url(), s.reg.credentials());
    let notary = push_image(&p, "notary");
    let pem = s.keys.certificate("p256");
    let der_path = s.keys.dir.path().join("cert.der");
    let pem_path = s.keys.dir.path().join("cert.pem");
    std::fs::write(&pem_path, &pem).expect("write");
    openssl(&[
        "x509",
        "-in",
        pem_path.to_str().expect("path"),
        "-outform",
        "DER",
        "-out",
        der_path.to_str().expect("path"),
    ]);
    let der = std::fs::read(&der_path).expect("der");
    let envelope = serde_json::to_vec(&json!({
        "payload": "e30", "protected": "e30", "signature": "AAAA",
        "header": { "x5c": [base64::engine::general_purpose::STANDARD.encode(der)] },
    }))
    .expect("envelope");
    push_referrer(
        &p,
        &notary,
        "application/vnd.cncf.notary.signature",
        "application/jose+json",
        &envelope,
    );
    let sigs = judged(&s, "notary", &load(&s.keys, &["p256"])).await;
    assert_eq!(
        states(&sigs),
        vec![(SigState::Unverified, SigReason::NotationNotChecked)]
    );
    assert_eq!(sigs[0].kind, SigKind::Notation);
    assert_eq!(sigs[0].envelope.as_deref(), Some("jws"));
    let cert = sigs[0].certificate.as_ref().expect("signer");
    assert_eq!(cert.subject, "O=sigstore.dev");
    assert_eq!(cert.issuer, "O=sigstore.dev");
    assert!(cert.not_before.ends_with(" UTC") && cert.not_after > cert.not_before);
}
