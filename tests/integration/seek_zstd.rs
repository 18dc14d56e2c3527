//! Issue 22 for zstd: a layer written as several zstd frames is read by frame. `berth cat`
//! against the real registry behind the fault proxy (which counts what it relays): the first
//! cat of a late file builds the layer's seek index of frame starts; the second sends one
//! `Range` request for just the frames that hold the file (whether its end falls inside a
//! frame or exactly where one starts); a byte changed inside that range fails with the
//! file's hash error and writes nothing; a registry that ignores `Range` still gives the
//! right bytes; a single-frame zstd layer gets an index without frames and streams, still
//! right; a listing cached without its zstd index is read again once; an `oci:` layout's
//! blob is read by a seek; the viewer's `read_part` reads by frame too. `berth extract` is
//! in [`crate::seek_zstd_extract`].
//! The layers are pushed as built here: about 8 MiB of random files, a small random file,
//! then 1 MiB of random tail, compressed as one `zstd::encode_all` per 64 KiB of tar (or one
//! for all).

use crate::support::fault_proxy::{Fault, FaultProxy, Rule};
use crate::support::oci::Layout;
use crate::support::{self, Auth, FreshOptions, TestEnv};
use berth::layers::LayerCache;
use berth::layers::seek_index::{Kind, SeekIndex};
use rand::RngCore as _;
use serde_json::json;
use std::path::PathBuf;
use std::process::Output;

pub const LATE: &str = "etc/late.bin";
const CHUNK: usize = 64 * 1024;

/// Where the late file's entry (its data padded to 512 bytes) ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LateEnd {
    /// Inside a frame (16 KiB and 100 bytes of data).
    MidFrame,
    /// Exactly where a frame starts.
    OnFrame,
}

pub struct Built {
    /// The late file's bytes.
    pub late: Vec<u8>,
    pub tar: Vec<u8>,
    pub blob: Vec<u8>,
    /// `sha256:…` of the layer blob.
    pub digest: String,
}

/// The tar: 20 random files of 400 KiB, [`LATE`] (random, ending as `end` says), then
/// 1 MiB of random tail (more than a frame past the late file, less than the 1 MiB of
/// header budget an earlier bound added).
fn build_tar(end: LateEnd) -> (Vec<u8>, Vec<u8>) {
    let mut tar = tar::Builder::new(Vec::new());
    let mut rng = rand::rng();
    let add = |tar: &mut tar::Builder<Vec<u8>>, path: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(1_700_000_000);
        tar.append_data(&mut h, path, data).expect("tar entry");
    };
    for i in 0..20 {
        let mut data = vec![0u8; 400 * 1024];
        rng.fill_bytes(&mut data);
        add(&mut tar, &format!("data/{i:02}.bin"), &data);
    }
    let data_start = tar.get_ref().len() + 512;
    let len = match end {
        LateEnd::MidFrame => 16 * 1024 + 100,
        LateEnd::OnFrame => (data_start + 16 * 1024).next_multiple_of(CHUNK) - data_start,
    };
    let mut late = vec![0u8; len];
    rng.fill_bytes(&mut late);
    add(&mut tar, LATE, &late);
    let mut tail = vec![0u8; 1024 * 1024];
    rng.fill_bytes(&mut tail);
    add(&mut tar, "data/tail.bin", &tail);
    (tar.into_inner().expect("tar"), late)
}

/// Pushes `repo:v1`, one zstd layer: with `several_frames` one frame per [`CHUNK`] of the
/// tar, otherwise one frame for all of it.
fn push(registry: &support::TestRegistry, repo: &str, several_frames: bool, end: LateEnd) -> Built {
    let (built, config) = build(several_frames, end);
    let pusher = registry.pusher();
    pusher.put_blob(repo, &built.blob);
    pusher.put_blob(repo, &config);
    pusher.put_manifest(
        repo,
        "v1",
        MANIFEST,
        &serde_json::to_vec(&manifest(&built, &config)).expect("manifest"),
    );
    built
}

const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// The layer (see [`push`]) and the image's config.
fn build(several_frames: bool, end: LateEnd) -> (Built, Vec<u8>) {
    let (tar, late) = build_tar(end);
    let blob: Vec<u8> = if several_frames {
        tar.chunks(CHUNK)
            .flat_map(|c| zstd::encode_all(c, 3).expect("zstd"))
            .collect()
    } else {
        zstd::encode_all(&tar[..], 3).expect("zstd")
    };
    let config = serde_json::to_vec(&json!({
        "architecture": std::env::consts::ARCH.replace("x86_64", "amd64").replace("aarch64", "arm64"),
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [support::oci::sha256_digest(&tar)]},
    }))
    .expect("config");
    let digest = support::oci::sha256_digest(&blob);
    let built = Built {
        late,
        tar,
        blob,
        digest,
    };
    (built, config)
}

fn manifest(built: &Built, config: &[u8]) -> serde_json::Value {
    json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": support::oci::sha256_digest(config),
            "size": config.len(),
        },
        "layers": [{
            "mediaType": "application/vnd.oci.image.layer.v1.tar+zstd",
            "digest": built.digest,
            "size": built.blob.len(),
        }],
    })
}

fn cat(env: &TestEnv, proxy: &FaultProxy, repo: &str) -> Output {
    env.berth()
        .args(["cat", &format!("http://{}/{repo}:v1", proxy.host()), LATE])
        .output()
        .expect("run berth")
}

fn layer_cache(env: &TestEnv) -> PathBuf {
    env.cache_home().join("berth/layers")
}

/// The seek index `berth` stored for `digest`, if any.
pub fn stored_index(env: &TestEnv, digest: &str) -> Option<SeekIndex> {
    let digest = berth::oci::Digest::parse(digest).expect("digest");
    LayerCache::new(layer_cache(env)).get_index(&digest)
}

/// The GETs of the layer blob (not the config's).
/// The GETs of the pushed blob: (Range header, status, body bytes), each waited for until its
/// answer is on record (the proxy fills the status in after the body is written).
pub fn blob_gets(s: &Setup) -> Vec<(Option<String>, u16, usize)> {
    crate::support::wait::until("the blob GETs' answers on record", || {
        s.proxy.requests().iter().all(|r| {
            !(r.method == "GET" && r.target.contains(&s.pushed.digest)) || r.completed.is_some()
        })
    });
    s.proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.target.contains(&s.pushed.digest))
        .map(|r| (r.range, r.status, r.body_bytes))
        .collect()
}

fn position(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("found")
}

pub struct Setup {
    pub proxy: FaultProxy,
    pub pushed: Built,
    pub env: TestEnv,
    _registry: support::TestRegistry,
}

pub fn setup(several_frames: bool) -> Setup {
    setup_ending(several_frames, LateEnd::MidFrame)
}

fn setup_ending(several_frames: bool, end: LateEnd) -> Setup {
    let registry = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let pushed = push(&registry, "seekz/image", several_frames, end);
    Setup {
        proxy: FaultProxy::start(&registry.host()),
        pushed,
        env: TestEnv::new(),
        _registry: registry,
    }
}

fn assert_ok(out: &Output, expected: &[u8]) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout == expected, "the bytes differ");
}

/// The second cat sends one `Range` request for exactly the frames that hold the late
/// file: from the frame before its header to the frame that holds the end of its data and
/// padding (none past it, though the tail follows).
fn the_second_cat_fetches_just_the_frames_of_the_late_file(end: LateEnd) {
    let s = setup_ending(true, end);
    assert_ok(&cat(&s.env, &s.proxy, "seekz/image"), &s.pushed.late);
    let index = stored_index(&s.env, &s.pushed.digest).expect("the first cat built an index");
    assert_eq!(index.kind, Kind::Zstd);
    assert_eq!(index.frames.len(), s.pushed.tar.len().div_ceil(CHUNK));
    assert_eq!(index.blob_size, s.pushed.blob.len() as u64);

    let header = (position(&s.pushed.tar, &s.pushed.late[..64]) - 512) as u64;
    let entry_end = header + 512 + (s.pushed.late.len() as u64).next_multiple_of(512);
    let on_frame = index.frames.iter().any(|f| f.out == entry_end);
    assert_eq!(
        on_frame,
        end == LateEnd::OnFrame,
        "the late file ends at {entry_end}"
    );
    let first = index.frame_before(header).expect("a frame before").input;
    let past = index
        .frames
        .iter()
        .find(|f| f.out >= entry_end)
        .expect("the tail's frames");
    let before = blob_gets(&s).len();
    assert_ok(&cat(&s.env, &s.proxy, "seekz/image"), &s.pushed.late);
    let gets = blob_gets(&s);
    let ranged = &gets[before..];
    assert_eq!(ranged.len(), 1, "{gets:?}");
    let (range, status, body) = &ranged[0];
    let expected = format!("bytes={first}-{}", past.input - 1);
    assert_eq!(range.as_deref(), Some(expected.as_str()), "{body} bytes");
    assert_eq!(*status, 206);
    // Two or three frames of random data (64 KiB each, stored as they are); 1 MiB of
    // header budget past the file would be 16 more.
    assert!(*body < 256 * 1024, "{body} of {}", s.pushed.blob.len());
}

#[test]
fn the_second_cat_fetches_the_frames_to_a_late_file_ending_inside_one() {
    the_second_cat_fetches_just_the_frames_of_the_late_file(LateEnd::MidFrame);
}

#[test]
fn the_second_cat_fetches_the_frames_to_a_late_file_ending_where_one_starts() {
    the_second_cat_fetches_just_the_frames_of_the_late_file(LateEnd::OnFrame);
}

/// Makes the proxy flip a byte of the late file's data in every GET of the layer from the
/// frame before the file's header (where a read through the index starts). The late file is
/// random, so zstd stored it as it is: its bytes are found in the blob.
pub fn flip_a_byte_of_the_late_file(s: &Setup) {
    let index = stored_index(&s.env, &s.pushed.digest).expect("index");
    let header_offset = position(&s.pushed.tar, &s.pushed.late[..64]) - 512;
    let start = index
        .frame_before(header_offset as u64)
        .expect("a frame before the file")
        .input;
    let in_blob = position(&s.pushed.blob, &s.pushed.late[1000..1064]);
    let offset = in_blob - usize::try_from(start).expect("offset");
    s.proxy.add(
        Rule::path(&s.pushed.digest).method("GET"),
        Fault::FlipByte { offset },
    );
}

#[test]
fn a_byte_changed_in_the_fetched_frames_fails_with_the_file_hash_error() {
    let s = setup(true);
    assert_ok(&cat(&s.env, &s.proxy, "seekz/image"), &s.pushed.late);
    flip_a_byte_of_the_late_file(&s);
    let out = cat(&s.env, &s.proxy, "seekz/image");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a changed byte went through");
    assert!(
        stderr.contains(&format!("/{LATE}")) && stderr.contains("does not match its listing"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing is written before the check");
    let gets = blob_gets(&s);
    assert!(
        gets.last()
            .is_some_and(|(range, status, _)| range.is_some() && *status == 206),
        "{gets:?}"
    );
}

#[test]
fn a_registry_that_ignores_range_still_gives_the_zstd_file() {
    let s = setup(true);
    assert_ok(&cat(&s.env, &s.proxy, "seekz/image"), &s.pushed.late);
    s.proxy.add(
        Rule::path(&s.pushed.digest).method("GET"),
        Fault::IgnoreRange,
    );
    let before = blob_gets(&s).len();
    assert_ok(&cat(&s.env, &s.proxy, "seekz/image"), &s.pushed.late);
    let gets = blob_gets(&s);
    assert!(
        gets[before..].iter().any(|(_, status, _)| *status == 200),
        "{gets:?}"
    );
}

#[test]
fn a_single_frame_zstd_layer_gets_an_index_without_frames_and_streams() {
    let s = setup(false);
    assert_ok(&cat(&s.env, &s.proxy, "seekz/image"), &s.pushed.late);
    let hex = s.pushed.digest.trim_start_matches("sha256:");
    assert!(
        layer_cache(&s.env).join(format!("{hex}.lyr")).exists(),
        "the listing is cached"
    );
    // An index without frames: the layer was read for them, and it streams.
    let index = stored_index(&s.env, &s.pushed.digest).expect("an index");
    assert_eq!(index.kind, Kind::Zstd);
    assert!(index.frames.is_empty(), "{:?}", index.frames);

    let before = blob_gets(&s).len();
    assert_ok(&cat(&s.env, &s.proxy, "seekz/image"), &s.pushed.late);
    let gets = blob_gets(&s);
    let streamed = &gets[before..];
    assert!(!streamed.is_empty(), "{gets:?}");
    assert!(
        streamed
            .iter()
            .all(|(range, status, _)| range.is_none() && *status == 200),
        "{gets:?}"
    );
}

/// A listing cached without its zstd index (what a Berth before zstd indexes left) is read
/// once more, whole, and the index is stored beside it.
#[test]
fn a_listing_cached_without_its_zstd_index_is_read_again_once() {
    let s = setup(true);
    assert_ok(&cat(&s.env, &s.proxy, "seekz/image"), &s.pushed.late);
    let hex = s.pushed.digest.trim_start_matches("sha256:");
    std::fs::remove_file(layer_cache(&s.env).join(format!("{hex}.idx"))).expect("remove");

    let before = blob_gets(&s).len();
    assert_ok(&cat(&s.env, &s.proxy, "seekz/image"), &s.pushed.late);
    let gets = blob_gets(&s);
    assert!(
        gets[before..]
            .iter()
            .any(|(range, status, body)| range.is_none()
                && *status == 200
                && *body == s.pushed.blob.len()),
        "{gets:?}"
    );
    let index = stored_index(&s.env, &s.pushed.digest).expect("rebuilt");
    assert!(index.frames.len() > 1);
}

/// In an `oci:` layout the frames around the file are read by a seek: a byte damaged in the
/// layer's first frame after the index was built is never read (streaming the layer, as
/// `--no-cache` does, stops on it), and the file is still checked against its hash.
#[test]
fn a_layout_blob_is_read_from_the_frame_before_the_file() {
    let (built, config) = build(true, LateEnd::MidFrame);
    let dir = support::process::scratch_dir("seekz-layout-");
    let mut layout = Layout::create(&dir);
    layout.put_blob("application/vnd.oci.image.layer.v1.tar+zstd", &built.blob);
    layout.put_blob("application/vnd.oci.image.config.v1+json", &config);
    let m = layout.put_json(MANIFEST, &manifest(&built, &config));
    layout.tag("v1", &m);
    layout.finish();
    let env = TestEnv::new();
    let image = format!("oci:{}:v1", dir.display());
    let cat = |extra: &[&str]| {
        env.berth()
            .arg("cat")
            .args(extra)
            .args([&image, LATE])
            .output()
            .expect("run berth")
    };
    assert_ok(&cat(&[]), &built.late);
    assert!(stored_index(&env, &built.digest).is_some_and(|i| i.frames.len() > 1));

    let path = Layout::blob_path(&dir, &built.digest);
    let mut blob = std::fs::read(&path).expect("blob");
    blob[1000] ^= 0x01;
    std::fs::write(&path, &blob).expect("damaged blob");
    assert_ok(&cat(&[]), &built.late);
    let streamed = cat(&["--no-cache"]);
    let stderr = String::from_utf8_lossy(&streamed.stderr);
    assert!(
        !streamed.status.success() && stderr.contains(&built.digest),
        "the damage is real: {stderr}"
    );
}

/// The window's viewer reads through `file_read::read_part` with the layer's index: for a
/// multi-frame zstd layer the second open of the late file fetches one range under a tenth
/// of the blob, and the part comes from bytes whose hash was checked.
#[tokio::test]
async fn the_viewer_reads_a_late_file_of_a_zstd_layer_by_frame() {
    use berth::layers::{self, file_read};
    use std::sync::Arc;

    let s = setup(true);
    let (info, source) = crate::seek::open_image(&s.proxy, "seekz/image").await;
    let cache = LayerCache::new(layer_cache(&s.env));
    let load = || layers::load_layers(&source, &info.layers, Some(&cache), Arc::new(|_| {}));
    assert!(!load().await[0].cached);
    let reads = load().await;
    assert!(reads[0].cached && reads[0].error.is_none());
    let index = reads[0].index.as_ref();
    assert!(index.is_some_and(|i| i.frames.len() > 1));
    let listings: Vec<_> = reads.iter().map(|r| &r.listing).collect();
    let located = file_read::locate_in_layer(&listings, 0, LATE.as_bytes()).expect("located");

    let before = blob_gets(&s).len();
    let part = file_read::read_part(&source, &info.layers[0], &located, 100, 1000, index)
        .await
        .expect("read");
    assert_eq!(part.bytes, s.pushed.late[100..1100]);
    assert!(part.verified);
    let gets = blob_gets(&s);
    let ranged = &gets[before..];
    assert_eq!(ranged.len(), 1, "{gets:?}");
    let (range, status, body) = &ranged[0];
    assert!(range.is_some() && *status == 206, "{range:?} {status}");
    assert!(*body < s.pushed.blob.len() / 10, "{body}");
}
