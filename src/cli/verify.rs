//! `berth verify REF --key FILE…`: the signatures of an image judged against the keys given
//! (and those in the settings for its registry). Exit 0 only when at least one signature
//! of the image itself is verified; otherwise one line says why. `--json` prints
//! `{"signatures": [...]}` with each signature's state, reason, key and kind.

use super::Context;
use crate::oci::RegistryRef;
use crate::trust::find;
use crate::trust::keys::{PublicKey, load_all};
use crate::trust::signatures::{SigState, Signature};
use crate::{i18n, tr};
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// REF, e.g. registry.example.com/team/app:1.0
    pub reference: String,
    /// A public key (PEM `SubjectPublicKeyInfo`: ECDSA P-256/P-384, RSA, Ed25519); repeatable.
    #[arg(long = "key", value_name = "FILE")]
    pub keys: Vec<PathBuf>,
}

/// Not verified, and why (one line). With `--json` the report is already on stdout, so
/// `main` prints no second JSON document for it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotVerified(pub String);

#[derive(serde::Serialize)]
struct Report<'a> {
    signatures: &'a [Signature],
}

/// The keys for `r`: the ones given on the command line, then the settings' ones.
fn keys_for(ctx: &Context, r: &RegistryRef, given: &[PathBuf]) -> Result<Vec<PublicKey>> {
    let mut paths = given.to_vec();
    paths.extend(ctx.settings.signing_keys_for(&r.registry.host));
    Ok(load_all(&paths)?)
}

pub async fn run(ctx: &Context, args: VerifyArgs) -> Result<()> {
    let r = RegistryRef::parse(&args.reference)?;
    let keys = keys_for(ctx, &r, &args.keys)?;
    let client = ctx.client(&r.registry).await?;
    let image = client.manifest(&r.repository, &r.reference()).await?;
    let signatures = find::signatures(&client, &r.repository, &image, &keys).await?;
    if ctx.global.json {
        ctx.print_json(&Report {
            signatures: &signatures,
        })?;
    } else {
        for s in &signatures {
            outln!(
                "{}",
                crate::format::escape(&tr!(
                    "cli-verify-line",
                    state = i18n::signature_state(s.state),
                    kind = i18n::signature_kind(s.kind),
                    reason = i18n::signature_reason(s)
                ))
            )?;
        }
    }
    let own: Vec<&Signature> = signatures
        .iter()
        .filter(|s| s.subject == image.digest.as_str())
        .collect();
    if let Some(key) = own
        .iter()
        .find(|s| s.state == SigState::Verified)
        .and_then(|s| s.key.clone())
    {
        if !ctx.global.json {
            outln!("{}", tr!("cli-verify-ok", key = key))?;
        }
        return Ok(());
    }
    let why = if own.is_empty() {
        tr!("cli-verify-none-found", reference = args.reference.as_str())
    } else if let Some(bad) = own.iter().find(|s| s.state == SigState::Invalid) {
        tr!("cli-verify-invalid", reason = i18n::signature_reason(bad))
    } else if keys.is_empty() {
        tr!("cli-verify-no-key")
    } else {
        tr!("cli-verify-no-match", count = own.len())
    };
    Err(NotVerified(why).into())
}

/// The one-line signature summary `inspect` prints: the badge's words and how many were
/// found, or why they could not be looked up.
pub async fn summary(
    ctx: &Context,
    r: &RegistryRef,
    detail: &crate::oci::image::ImageDetail,
) -> String {
    let keys = ctx.settings.signing_keys_for(&r.registry.host);
    let keys = match load_all(&keys) {
        Ok(k) => k,
        Err(e) => return tr!("cli-inspect-signatures", summary = i18n::describe(&e)),
    };
    let found = async {
        let client = ctx.client(&r.registry).await.map_err(|e| e.to_string())?;
        let sigs = find::signatures_for(
            &client,
            &r.repository,
            &detail.digest,
            &detail.platforms,
            &keys,
        )
        .await
        .map_err(|e| i18n::describe_error(&e))?;
        let own: Vec<Signature> = sigs
            .into_iter()
            .filter(|s| s.subject == detail.digest.as_str())
            .collect();
        Ok::<_, String>(own)
    };
    match found.await {
        Ok(own) => {
            let badge = i18n::signature_badge(&crate::trust::signatures::badge(&own));
            let text = if own.is_empty() {
                badge
            } else {
                format!("{badge} ({})", own.len())
            };
            tr!("cli-inspect-signatures", summary = text)
        }
        Err(reason) => tr!("sig-badge-failed", reason = reason),
    }
}
