//! TLS: a registry with a certificate from a private CA is refused by default with a clear
//! message, and accepted with `--ca`, with the CA file saved in settings, or with `--insecure`.

use crate::registry_read::repo_name;
use crate::support::{TestEnv, tls::tls_registry};
use berth::oci::Scheme;
use berth::registry::{ClientConfig, Error, RegistryClient};

#[tokio::test]
async fn untrusted_then_trusted_by_ca_or_insecure() {
    let tls = tls_registry();
    let host = tls.registry.host();
    let client = |ca: Option<&std::path::Path>, insecure: bool| {
        RegistryClient::new(
            &host,
            ClientConfig {
                scheme: Some(Scheme::Https),
                insecure,
                ca_file: ca.map(std::path::Path::to_path_buf),
                ..ClientConfig::default()
            },
        )
        .expect("client")
    };
    let err = client(None, false)
        .tags(&repo_name("library/alpine"))
        .await
        .expect_err("untrusted");
    assert!(matches!(err, Error::UntrustedCertificate { .. }), "{err:?}");
    let err = client(Some(&tls.other_ca), false)
        .tags(&repo_name("library/alpine"))
        .await
        .expect_err("wrong CA");
    assert!(matches!(err, Error::UntrustedCertificate { .. }), "{err:?}");
    assert_eq!(
        client(Some(&tls.ca), false)
            .tags(&repo_name("library/alpine"))
            .await
            .expect("with CA"),
        ["3.18", "3.19", "latest"]
    );
    assert_eq!(
        client(None, true)
            .tags(&repo_name("library/alpine"))
            .await
            .expect("insecure"),
        ["3.18", "3.19", "latest"]
    );

    // The same through the CLI, with the CA from the command line and from settings.
    let env = TestEnv::new();
    let repo = format!("{host}/library/alpine");
    let run = |args: &[&str]| env.berth().args(args).output().expect("berth");
    let refused = run(&["tags", &repo]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("not trusted") && stderr.contains("--ca"),
        "{stderr}"
    );
    let ca = tls.ca.display().to_string();
    assert!(run(&["tags", "--ca", &ca, &repo]).status.success());
    assert!(run(&["tags", "--insecure", &repo]).status.success());
    let settings = env.config_home().join("berth/settings.toml");
    std::fs::create_dir_all(settings.parent().expect("dir")).expect("mkdir");
    std::fs::write(
        &settings,
        format!("[[registries]]\nname = \"private\"\nurl = \"{host}\"\nca_file = \"{ca}\"\n"),
    )
    .expect("settings");
    let saved = run(&["tags", &repo]);
    assert!(
        saved.status.success(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    assert!(String::from_utf8_lossy(&saved.stdout).contains("3.19"));
}
