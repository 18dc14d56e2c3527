//! Save and load: image tars Berth writes are read by skopeo, and a save/load round trip
//! keeps every digest (docker-archive and oci-archive); a docker-archive as skopeo writes it
//! (no OCI layout inside) loads into the store with the same config and layers.

use crate::jobs_support::{Jobs, assert_fsck_clean, digest_of, oci_ref, reg};
use crate::support::{self, Auth, FreshOptions, TestEnv, fixtures, process};
use berth::jobs::{ArchiveFormat, JobOutput, JobSpec, Platforms};
use berth::oci::{ImageRef, LocalName, Platform};
use serde_json::Value;
use std::path::PathBuf;

fn save(source: ImageRef, file: PathBuf, format: ArchiveFormat, platforms: Platforms) -> JobSpec {
    JobSpec::Save {
        source,
        file,
        format,
        platforms,
    }
}

fn skopeo(env: &TestEnv, args: &[&str]) -> Value {
    serde_json::from_str(&env.skopeo(args)).expect("skopeo JSON")
}

#[tokio::test]
async fn save_and_load_round_trip_keeps_digests() {
    let reg_ = support::registry(Auth::Anonymous);
    let env = TestEnv::new();
    let mut jobs = Jobs::new();
    let api = fixtures::seeded_digest("team/app/api:v1");

    // docker-archive straight from the registry.
    let tar = jobs.dir("api.tar");
    let saved = jobs
        .ok(save(
            reg(&reg_.host(), "team/app/api:v1"),
            tar.clone(),
            ArchiveFormat::Docker,
            Platforms::Host,
        ))
        .await;
    assert_eq!(digest_of(&saved), api);
    let JobOutput::Saved { bytes, .. } = saved else {
        panic!()
    };
    assert_eq!(bytes, std::fs::metadata(&tar).expect("tar").len());
    // skopeo reads it as a docker-archive (it names layers by their uncompressed digests).
    let archive = format!("docker-archive:{}", tar.display());
    let seen = skopeo(&env, &["inspect", &archive]);
    let config = skopeo(
        &env,
        &["inspect", "--config", &reg_.docker_ref("team/app/api:v1")],
    );
    assert_eq!(seen["Layers"], config["rootfs"]["diff_ids"]);
    assert_eq!(skopeo(&env, &["inspect", "--config", &archive]), config);

    // Loaded into another runner's store: the same digest.
    let mut other = Jobs::new();
    let loaded = other
        .ok(JobSpec::Load {
            file: tar.clone(),
            dest: ImageRef::Berth {
                name: LocalName::Default,
            },
        })
        .await;
    assert_eq!(digest_of(&loaded), api);
    let JobOutput::Loaded { dest, .. } = &loaded else {
        panic!()
    };
    assert_eq!(dest, &format!("berth:{}/team/app/api:v1", reg_.host()));
    assert_fsck_clean(other.store().dir());

    // oci-archive of a whole index, via Berth's store, loaded into an OCI layout.
    let nginx = fixtures::seeded_digest("library/nginx:latest");
    other
        .ok(JobSpec::Copy {
            source: reg(&reg_.host(), "library/nginx:latest"),
            dest: ImageRef::Berth {
                name: LocalName::parse("local/nginx:all"),
            },
            platforms: Platforms::All,
        })
        .await;
    let oci_tar = jobs.dir("nginx.tar");
    let saved = other
        .ok(save(
            ImageRef::Berth {
                name: LocalName::parse("local/nginx:all"),
            },
            oci_tar.clone(),
            ArchiveFormat::Oci,
            Platforms::All,
        ))
        .await;
    assert_eq!(digest_of(&saved), nginx);
    let seen = skopeo(
        &env,
        &[
            "inspect",
            "--raw",
            &format!("oci-archive:{}", oci_tar.display()),
        ],
    );
    assert_eq!(seen["manifests"].as_array().map(Vec::len), Some(3));
    let lay = jobs.dir("lay");
    let loaded = jobs
        .ok(JobSpec::Load {
            file: oci_tar,
            dest: oci_ref(&lay, "nginx"),
        })
        .await;
    assert_eq!(digest_of(&loaded), nginx);
    let seen = skopeo(&env, &["inspect", &format!("oci:{}:nginx", lay.display())]);
    assert_eq!(seen["Architecture"], Platform::host().architecture);
    assert_fsck_clean(&lay);

    // A docker-archive holds one platform.
    let err = other
        .run(save(
            ImageRef::Berth {
                name: LocalName::parse("local/nginx:all"),
            },
            jobs.dir("multi.tar"),
            ArchiveFormat::Docker,
            Platforms::All,
        ))
        .await
        .expect_err("several platforms");
    assert_eq!(err.kind(), "needs_one_platform");
    assert!(!jobs.dir("multi.tar").exists());
}

#[tokio::test]
async fn docker_archive_as_skopeo_writes_it_loads() {
    let reg_ = support::registry(Auth::Anonymous);
    let env = TestEnv::new();
    let tar = process::scratch_dir("skopeo-archive-").join("alpine.tar");
    env.skopeo(&[
        "copy",
        "--quiet",
        &reg_.docker_ref("library/alpine:3.18"),
        &format!("docker-archive:{}:example/alpine:3.18", tar.display()),
    ]);
    let mut jobs = Jobs::new();
    let lay = jobs.dir("lay");
    let loaded = jobs
        .ok(JobSpec::Load {
            file: tar.clone(),
            dest: ImageRef::OciDir {
                dir: lay.clone(),
                name: LocalName::Default,
            },
        })
        .await;
    let JobOutput::Loaded { dest, blobs, .. } = &loaded else {
        panic!("{loaded:?}")
    };
    assert_eq!(dest, &format!("oci:{}:3.18", lay.display()));
    assert_eq!(blobs.fetched, 3);
    assert_fsck_clean(&lay);
    // The same config (image ID) and layer contents as the registry's image.
    let ours = skopeo(
        &env,
        &[
            "inspect",
            "--config",
            &format!("oci:{}:3.18", lay.display()),
        ],
    );
    let theirs = skopeo(
        &env,
        &[
            "inspect",
            "--config",
            &reg_.docker_ref("library/alpine:3.18"),
        ],
    );
    assert_eq!(ours["rootfs"], theirs["rootfs"]);
    assert_eq!(ours["config"], theirs["config"]);

    // And pushed on to a registry from there.
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let pushed = jobs
        .ok(JobSpec::Copy {
            source: oci_ref(&lay, "3.18"),
            dest: reg(&fresh.host(), "loaded/alpine"),
            platforms: Platforms::Host,
        })
        .await;
    let seen = skopeo(&env, &["inspect", &fresh.docker_ref("loaded/alpine:3.18")]);
    assert_eq!(seen["Digest"], digest_of(&pushed).as_str());
}
