//! A TLS registry for the TLS tests: a throwaway CA made with the `openssl` CLI, a server
//! certificate for 127.0.0.1 signed by it, and a registry serving HTTPS with them.

use super::registry::{RegistryOptions, TestRegistry};
use super::{Auth, fixtures, process};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TlsRegistry {
    pub registry: TestRegistry,
    /// The CA certificate that signed the server's (PEM).
    pub ca: PathBuf,
    /// Another CA, which did not sign it.
    pub other_ca: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl (apt-get install openssl)");
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn make_ca(dir: &Path, name: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            &format!("/CN={name}"),
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.crt"),
        ],
    );
}

/// Starts an HTTPS registry (anonymous, core fixtures) with a certificate from a fresh CA.
pub fn tls_registry() -> TlsRegistry {
    let dir = process::scratch_dir("tls-registry-");
    make_ca(&dir, "berth-test-ca");
    make_ca(&dir, "unrelated-ca");
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .expect("write san.ext");
    openssl(
        &dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
    );
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "berth-test-ca.crt",
            "-CAkey",
            "berth-test-ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "san.ext",
            "-out",
            "server.crt",
        ],
    );
    let storage = dir.join("storage");
    process::copy_tree(&fixtures::fixture_core_storage(), &storage);
    let opts = RegistryOptions {
        tls: Some((dir.join("server.crt"), dir.join("server.key"))),
        ..RegistryOptions::new(Auth::Anonymous)
    };
    TlsRegistry {
        registry: TestRegistry::start(&storage, &dir, &opts).owning_run_dir(),
        ca: dir.join("berth-test-ca.crt"),
        other_ca: dir.join("unrelated-ca.crt"),
    }
}
