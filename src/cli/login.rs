//! `login` checks credentials against the registry before saving them; `logout` removes
//! them from every store Berth reads.

use super::Context;
use crate::oci::RegistryName;
use crate::tr;
use anyhow::{Result, bail};

pub async fn login(ctx: &Context, registry: &str) -> Result<()> {
    let name = RegistryName::parse(registry)?;
    let Some(credentials) = ctx.given.clone() else {
        bail!("login needs --user (and --password-stdin when not on a terminal)");
    };
    let crate::registry::Credentials::Basic { username, password } = &credentials else {
        bail!("login takes a username and password");
    };
    ctx.client_with(&name, credentials.clone())?.ping().await?;
    let paths = ctx.credential_paths.clone();
    let (host, user, pw) = (name.host.clone(), username.clone(), password.clone());
    let source = tokio::task::spawn_blocking(move || paths.store(&host, &user, &pw)).await??;
    if ctx.global.json {
        ctx.print_json(&serde_json::json!({
            "registry": name.host, "username": username, "saved_to": source.to_string(),
        }))
    } else {
        outln!(
            "{}",
            tr!(
                "cli-login-succeeded",
                user = username.clone(),
                registry = name.host.clone(),
                place = source.to_string()
            )
        )?;
        Ok(())
    }
}

pub async fn logout(ctx: &Context, registry: &str) -> Result<()> {
    let name = RegistryName::parse(registry)?;
    let paths = ctx.credential_paths.clone();
    let host = name.host.clone();
    let removed = tokio::task::spawn_blocking(move || paths.remove(&host)).await??;
    if ctx.global.json {
        let from: Vec<String> = removed.iter().map(ToString::to_string).collect();
        return ctx.print_json(&serde_json::json!({ "registry": name.host, "removed_from": from }));
    }
    if removed.is_empty() {
        bail!("{}", tr!("cli-logout-none", registry = name.host.clone()));
    }
    for source in removed {
        outln!(
            "{}",
            tr!(
                "cli-logout-removed",
                registry = name.host.clone(),
                place = source.to_string()
            )
        )?;
    }
    Ok(())
}
