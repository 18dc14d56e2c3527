//! `berth cat` lists layers from the top down and stops at the layer that answers (issue 22,
//! item 4), against the real registry behind the fault proxy (which logs every request):
//! with an empty cache, a file the top layer holds (its folder declared there too) costs no
//! request for the base layer's blob; a file of the base layer, a symlink of the top layer
//! into the base layer and a path through a base layer's symlink still give the right
//! bytes.

use crate::extract::{Raw, push, raw_tar};
use crate::support::fault_proxy::FaultProxy;
use crate::support::oci::{Compression, compress, sha256_digest};
use crate::support::{self, Auth, FreshOptions, TestEnv};

const NAME: &str = "cat/top-down:t";

fn cat(env: &TestEnv, image: &str, path: &str) -> Vec<u8> {
    let out = env
        .berth()
        .args(["cat", image, path])
        .output()
        .expect("run berth");
    assert!(
        out.status.success(),
        "{path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn cat_stops_at_the_layer_that_answers() {
    let base = raw_tar(&[
        Raw::Dir("etc/"),
        Raw::File("etc/base.txt", b"from the base layer\n"),
        Raw::Dir("usr/"),
        Raw::Dir("usr/lib/"),
        Raw::File("usr/lib/real.txt", b"behind a link\n"),
        Raw::Symlink("lib", "usr/lib"),
    ]);
    let top = raw_tar(&[
        Raw::Dir("etc/"),
        Raw::File("etc/top.txt", b"from the top layer\n"),
        Raw::Symlink("shortcut", "etc/base.txt"),
    ]);
    let base_digest = sha256_digest(&compress(&base, Compression::Gzip));
    let registry = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    push(&registry, NAME, &[base, top]);
    let proxy = FaultProxy::start(&registry.host());
    let image = format!("http://{}/{NAME}", proxy.host());
    let base_gets = || {
        proxy
            .requests()
            .iter()
            .filter(|r| r.method == "GET" && r.target.contains(&base_digest))
            .count()
    };

    let env = TestEnv::new();
    assert_eq!(cat(&env, &image, "/etc/top.txt"), b"from the top layer\n");
    assert_eq!(base_gets(), 0, "the base layer was not needed");

    // Each of these needs the base layer; an empty cache each time.
    for (path, want) in [
        ("/etc/base.txt", &b"from the base layer\n"[..]),
        ("/shortcut", b"from the base layer\n"),
        ("/lib/real.txt", b"behind a link\n"),
    ] {
        let env = TestEnv::new();
        let before = base_gets();
        assert_eq!(cat(&env, &image, path), want, "{path}");
        assert!(base_gets() > before, "{path}: the base layer was read");
    }
}
