//! Builds the reqwest client of one registry: its timeouts (the low-speed window also bounds
//! the wait for headers, `registry::limits`), an extra CA file, and TLS roots only where they
//! are needed (issue 19: a plain-HTTP registry works on a machine without a CA bundle).

use super::error::{Error, Result};
use super::transport::{ClientConfig, USER_AGENT, error_chain};
use crate::oci::Scheme;
use std::time::Duration;

/// The HTTP client of one registry. TLS roots are needed only for HTTPS (ARCHITECTURE.md,
/// "Time and memory"): a plain-HTTP registry on a machine without a CA bundle still
/// works (a redirect to HTTPS then finds no trusted root), and an HTTPS one says that no CA
/// certificates were found rather than reqwest's "builder error".
pub(crate) fn build(host: &str, config: &ClientConfig, scheme: Scheme) -> Result<reqwest::Client> {
    let tls_error = |reason: String| Error::Tls {
        registry: host.to_owned(),
        reason,
    };
    let mut extra = Vec::new();
    if let Some(path) = &config.ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| tls_error(format!("cannot read CA file {}: {e}", path.display())))?;
        extra = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| tls_error(format!("CA file {} is not PEM: {e}", path.display())))?;
    }
    let builder = || {
        let mut b = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(Duration::from_secs(15))
            // No byte of an answer within the low-speed window is a stall too.
            .read_timeout(config.limits.low_speed_time)
            // reqwest drops Authorization when a redirect leaves the host (blob storage).
            .redirect(reqwest::redirect::Policy::limited(10));
        if config.insecure {
            b = b.tls_danger_accept_invalid_certs(true);
        }
        b
    };
    let with_roots = extra
        .iter()
        .cloned()
        .fold(builder(), reqwest::ClientBuilder::add_root_certificate);
    match with_roots.build() {
        Ok(client) => Ok(client),
        Err(e) if error_chain(&e).contains("No CA certificates") => {
            if scheme == Scheme::Http {
                builder()
                    .tls_certs_only(Vec::new())
                    .build()
                    .map_err(|e| tls_error(error_chain(&e)))
            } else {
                Err(Error::NoCaCertificates {
                    registry: host.to_owned(),
                })
            }
        }
        Err(e) => Err(tls_error(error_chain(&e))),
    }
}
