//! Issue 22: one file of a gzip layer through the layer's seek index, against the real
//! registry behind the fault proxy (which counts what it relays): a read with the index
//! sends a `Range` request and fetches under a tenth of the blob; a registry that ignores
//! `Range` still gives the right bytes; a byte changed inside the fetched range is caught by
//! the file's SHA-256; an index of an older format is rebuilt, not trusted. The layer is a
//! few MiB with a 64 KiB checkpoint interval, so the tests stay fast.

use crate::registry_read::{at, repo_name};
use crate::support::fault_proxy::{Fault, FaultProxy, Rule};
use crate::support::oci::Layout;
use crate::support::{self, Auth, FreshOptions, TestEnv};
use berth::layers::{self, BlobSource, FileError, LayerCache, LayerRead, file_read, seek_read};
use berth::oci::image::ImageInfo;
use berth::oci::{Platform, Scheme};
use berth::registry::{ClientConfig, RegistryClient};
use rand::RngCore as _;
use serde_json::json;
use std::io::Write as _;
use std::sync::Arc;

pub(crate) const LAST: &str = "etc/last.txt";
pub(crate) const INTERVAL: u64 = 64 * 1024;

/// Four 16 KiB text files in `etc/`, written just before [`LAST`]: with it, a late folder.
/// The first one's name is longer than a tar header holds.
pub(crate) fn late_files() -> Vec<(String, Vec<u8>)> {
    (0..4)
        .map(|i| {
            let data = (0..)
                .flat_map(|n| format!("late file {i}, line {n}\n").into_bytes())
                .take(16 * 1024)
                .collect();
            // The first has a long name (a GNU long-name header before its own).
            let long = if i == 0 {
                "-".repeat(120)
            } else {
                String::new()
            };
            (format!("etc/late-{i}{long}.txt"), data)
        })
        .collect()
}

/// A gzip layer of 48 random 64 KiB files, [`late_files`] and a 64 KiB text file written
/// last, in an OCI
/// layout tagged `v1` and pushed as `seek/image:v1`; returns the text file's bytes, the
/// blob's size and the layout's directory.
pub(crate) fn push_image(registry_host: &str) -> (Vec<u8>, usize, std::path::PathBuf) {
    push_image_with(registry_host, 48, 0)
}

/// [`push_image`] with `before` random 64 KiB files before the text file and `after` more
/// after it (`data/after-NN.bin`).
pub(crate) fn push_image_with(
    registry_host: &str,
    before: usize,
    after: usize,
) -> (Vec<u8>, usize, std::path::PathBuf) {
    let mut tar = tar::Builder::new(Vec::new());
    let mut rng = rand::rng();
    let mut add = |path: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(1_700_000_000);
        tar.append_data(&mut h, path, data).expect("tar entry");
    };
    for i in 0..before {
        let mut data = vec![0u8; 64 * 1024];
        rng.fill_bytes(&mut data);
        add(&format!("data/{i:02}.bin"), &data);
    }
    for (path, data) in late_files() {
        add(&path, &data);
    }
    let text: Vec<u8> = (0..2000)
        .flat_map(|i| format!("line {i:05} of the last file\n").into_bytes())
        .take(64 * 1024)
        .collect();
    add(LAST, &text);
    for i in 0..after {
        let mut data = vec![0u8; 64 * 1024];
        rng.fill_bytes(&mut data);
        add(&format!("data/after-{i:02}.bin"), &data);
    }
    let tar = tar.into_inner().expect("tar");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).expect("gzip");
    let blob = gz.finish().expect("gzip");

    let src = support::process::scratch_dir("seek-src-");
    let mut layout = Layout::create(&src);
    let layer = layout.put_blob("application/vnd.oci.image.layer.v1.tar+gzip", &blob);
    let config = json!({
        "architecture": std::env::consts::ARCH.replace("x86_64", "amd64").replace("aarch64", "arm64"),
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [support::oci::sha256_digest(&tar)]},
    });
    let config = layout.put_json("application/vnd.oci.image.config.v1+json", &config);
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config.to_json(),
        "layers": [layer.to_json()],
    });
    let m = layout.put_json("application/vnd.oci.image.manifest.v1+json", &manifest);
    layout.tag("v1", &m);
    layout.finish();
    TestEnv::new().skopeo(&[
        "copy",
        "--quiet",
        "--preserve-digests",
        &format!("oci:{}:v1", src.display()),
        &format!("docker://{registry_host}/seek/image:v1"),
    ]);
    (text, blob.len(), src)
}

pub(crate) async fn open(proxy: &FaultProxy) -> (ImageInfo, BlobSource) {
    open_image(proxy, "seek/image").await
}

/// The image `repository:v1` behind `proxy`, and its blob source.
pub(crate) async fn open_image(proxy: &FaultProxy, repository: &str) -> (ImageInfo, BlobSource) {
    let client = Arc::new(
        RegistryClient::new(
            &proxy.host(),
            ClientConfig {
                scheme: Some(Scheme::Http),
                ..ClientConfig::default()
            },
        )
        .expect("client"),
    );
    let detail = client
        .inspect(&repo_name(repository), &at("v1"), &Platform::host())
        .await
        .expect("inspect");
    let info = detail.image.expect("an image");
    let source = BlobSource::Registry {
        client,
        repository: repo_name(repository),
    };
    (info, source)
}

pub(crate) async fn load(
    info: &ImageInfo,
    source: &BlobSource,
    cache: &LayerCache,
) -> Vec<LayerRead> {
    let reads = layers::load_layers(source, &info.layers, Some(cache), Arc::new(|_| {})).await;
    for r in &reads {
        assert!(r.error.is_none(), "{:?}", r.error);
    }
    reads
}

/// The last file through the index (the listing and the index from `reads`).
async fn cat_last(
    info: &ImageInfo,
    source: &BlobSource,
    reads: &[LayerRead],
) -> Result<Option<Vec<u8>>, FileError> {
    let listings: Vec<_> = reads.iter().map(|r| &r.listing).collect();
    let located = file_read::locate_in_layer(&listings, 0, LAST.as_bytes()).expect("located");
    let index = reads[0].index.as_ref().expect("a seek index");
    let out = seek_read::copy_checked(source, &info.layers[0], index, &located, Vec::new()).await?;
    Ok(out.map(|(_, bytes)| bytes))
}

/// The blob GETs the proxy answered: (Range header, status, body bytes). Waits until each
/// has its answer on record (the proxy fills the status in after the body is written, so a
/// client may be done reading before that).
pub(crate) fn blob_gets(proxy: &FaultProxy) -> Vec<(Option<String>, u16, usize)> {
    support::wait::until("the blob GETs' answers on record", || {
        proxy.requests().iter().all(|r| {
            !(r.method == "GET" && r.target.contains("/blobs/sha256:")) || r.completed.is_some()
        })
    });
    proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.target.contains("/blobs/sha256:"))
        .map(|r| (r.range, r.status, r.body_bytes))
        .collect()
}

pub(crate) struct Setup {
    pub(crate) proxy: FaultProxy,
    pub(crate) text: Vec<u8>,
    pub(crate) blob_size: usize,
    pub(crate) cache_dir: tempfile::TempDir,
    _registry: support::TestRegistry,
}

impl Setup {
    /// The seek image behind the proxy, its blob source, and a cache of this setup's
    /// directory that records a seek index every [`INTERVAL`].
    pub(crate) async fn opened(&self) -> (ImageInfo, BlobSource, LayerCache) {
        let cache = LayerCache::new(self.cache_dir.path()).with_index_interval(INTERVAL);
        let (info, source) = open(&self.proxy).await;
        (info, source, cache)
    }
}

pub(crate) fn setup() -> Setup {
    let registry = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let (text, blob_size, _) = push_image(&registry.host());
    Setup {
        proxy: FaultProxy::start(&registry.host()),
        text,
        blob_size,
        cache_dir: tempfile::tempdir().expect("tempdir"),
        _registry: registry,
    }
}

#[tokio::test]
async fn the_second_read_sends_a_range_request_and_fetches_under_a_tenth() {
    let s = setup();
    let (info, source, cache) = s.opened().await;
    let first = load(&info, &source, &cache).await;
    assert!(!first[0].cached);
    let index = first[0]
        .index
        .as_ref()
        .expect("an index from the first read");
    assert!(index.checkpoints.len() > 10, "{}", index.checkpoints.len());

    let reads = load(&info, &source, &cache).await;
    assert!(reads[0].cached && reads[0].index.is_some());
    let before = blob_gets(&s.proxy).len();
    let bytes = cat_last(&info, &source, &reads).await.expect("read");
    assert_eq!(bytes.as_deref(), Some(&s.text[..]));
    let gets = blob_gets(&s.proxy);
    let ranged = &gets[before..];
    assert_eq!(ranged.len(), 1, "{gets:?}");
    let (range, status, body) = &ranged[0];
    assert!(
        range.as_deref().is_some_and(|r| r.starts_with("bytes=")),
        "{range:?}"
    );
    assert_eq!(*status, 206);
    assert!(*body < s.blob_size / 10, "{body} of {}", s.blob_size);
}

/// With each entry's compressed span in the listing, the ranged read stops at the file's
/// span end instead of the first checkpoint after the file plus the header budget: a 64 KiB
/// text file just past the first checkpoint (1 MiB interval), with 3 MiB more after it,
/// costs well under half an interval (the old bound fetched over 1 MiB here).
#[tokio::test]
async fn a_file_mid_layer_fetches_only_up_to_its_span_end() {
    const INTERVAL: u64 = 1024 * 1024;
    let registry = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let (text, blob_size, _) = push_image_with(&registry.host(), 20, 48);
    let proxy = FaultProxy::start(&registry.host());
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::new(cache_dir.path()).with_index_interval(INTERVAL);
    let (info, source) = open(&proxy).await;
    load(&info, &source, &cache).await;
    let reads = load(&info, &source, &cache).await;
    assert!(reads[0].cached, "listing and spans from the cache");
    let listings: Vec<_> = reads.iter().map(|r| &r.listing).collect();
    let located = file_read::locate_in_layer(&listings, 0, LAST.as_bytes()).expect("located");
    let index = reads[0].index.as_ref().expect("index");
    let checkpoint = index.before(located.header_offset).expect("a checkpoint");
    assert!(located.span_end > checkpoint.in_bits / 8);
    assert!(located.span_end + 2 * 1024 * 1024 < blob_size as u64);

    let before = blob_gets(&proxy).len();
    let bytes = cat_last(&info, &source, &reads).await.expect("read");
    assert_eq!(bytes.as_deref(), Some(&text[..]));
    let gets = blob_gets(&proxy);
    let ranged = &gets[before..];
    assert_eq!(ranged.len(), 1, "{gets:?}");
    let (range, status, body) = &ranged[0];
    assert!(range.is_some() && *status == 206, "{range:?} {status}");
    assert!((*body as u64) < INTERVAL / 2, "{body} bytes of {blob_size}");
}

#[tokio::test]
async fn a_registry_that_ignores_range_still_gives_the_right_bytes() {
    let s = setup();
    let (info, source, cache) = s.opened().await;
    let reads = load(&info, &source, &cache).await;
    s.proxy
        .add(Rule::path("/blobs/").method("GET"), Fault::IgnoreRange);
    // The index cannot serve it: the caller streams the blob as before.
    assert_eq!(cat_last(&info, &source, &reads).await.expect("read"), None);
    let listings: Vec<_> = reads.iter().map(|r| &r.listing).collect();
    let located = file_read::locate_in_layer(&listings, 0, LAST.as_bytes()).expect("located");
    let (_, bytes) = file_read::copy_to(&source, &info.layers[0], &located, Vec::new())
        .await
        .expect("streamed");
    assert_eq!(bytes, s.text);
    assert!(
        blob_gets(&s.proxy)
            .iter()
            .any(|(_, status, _)| *status == 200)
    );
}

#[tokio::test]
async fn a_byte_changed_in_the_fetched_range_is_caught_by_the_file_hash() {
    let s = setup();
    let (info, source, cache) = s.opened().await;
    let reads = load(&info, &source, &cache).await;
    // The range runs from the checkpoint before the last file to the blob's end; a byte
    // 300 from the end is inside the file's compressed bytes (the end-of-archive blocks
    // and the gzip trailer take a few dozen).
    let listings: Vec<_> = reads.iter().map(|r| &r.listing).collect();
    let located = file_read::locate_in_layer(&listings, 0, LAST.as_bytes()).expect("located");
    let index = reads[0].index.as_ref().expect("index");
    let start = index
        .before(located.header_offset)
        .expect("a checkpoint")
        .in_bits
        / 8;
    let offset = s.blob_size - usize::try_from(start).expect("offset") - 300;
    s.proxy.add(
        Rule::path("/blobs/").method("GET"),
        Fault::FlipByte { offset },
    );
    let result = cat_last(&info, &source, &reads).await;
    match result {
        Err(FileError::Mismatch { path, .. }) => assert_eq!(path, format!("/{LAST}")),
        // A flipped bit may also break the deflate stream itself: a layer error, still
        // no bytes.
        Err(FileError::Layer(e)) => assert!(
            matches!(
                e,
                layers::Error::Corrupt { .. } | layers::Error::Truncated { .. }
            ),
            "{e:?}"
        ),
        other => panic!("a changed byte went through: {other:?}"),
    }
}

#[tokio::test]
async fn an_index_of_an_older_format_is_rebuilt() {
    let s = setup();
    let (info, source, cache) = s.opened().await;
    load(&info, &source, &cache).await;
    let digest = &info.layers[0].digest;
    let file = s.cache_dir.path().join(format!("{}.idx", digest.hex()));
    // What version 1 wrote for this layer: the same checkpoints, without the kind field
    // version 2 put after the version.
    let mut bytes = std::fs::read(&file).expect("index file");
    assert_eq!(layers::seek_index::VERSION, 2);
    bytes.drain(12..16);
    bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
    std::fs::write(&file, &bytes).expect("older index");
    assert!(
        cache.get_index(digest).is_none(),
        "an older index is not trusted"
    );

    let before = blob_gets(&s.proxy).len();
    let reads = load(&info, &source, &cache).await;
    assert!(!reads[0].cached, "the layer is read again");
    assert!(reads[0].index.is_some());
    assert_eq!(blob_gets(&s.proxy).len(), before + 1);
    assert!(cache.get_index(digest).is_some(), "rebuilt");
    let bytes = cat_last(&info, &source, &reads).await.expect("read");
    assert_eq!(bytes.as_deref(), Some(&s.text[..]));
}

#[tokio::test]
async fn a_layout_blob_is_read_from_a_seek() {
    let registry = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let (text, _, dir) = push_image(&registry.host());
    let info = layers::layout::read_image(&dir, Some("v1"), &Platform::host()).expect("layout");
    let source = BlobSource::Layout { dir };
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::new(cache_dir.path()).with_index_interval(INTERVAL);
    load(&info, &source, &cache).await;
    let reads = load(&info, &source, &cache).await;
    assert!(reads[0].cached);
    let bytes = cat_last(&info, &source, &reads).await.expect("read");
    assert_eq!(bytes.as_deref(), Some(&text[..]));
}

/// The window's viewer reads through `file_read::read_part` with the layer's index: the
/// second open of the last file fetches one range under a tenth of the blob and the part is
/// verified (the whole file was checked); with a byte changed inside that range the read
/// fails on the file's hash (or on the broken deflate stream), and no part is returned.
#[tokio::test]
async fn the_viewer_reads_a_late_file_through_the_index_and_checks_it() {
    let s = setup();
    let (info, source, cache) = s.opened().await;
    load(&info, &source, &cache).await;
    let reads = load(&info, &source, &cache).await;
    assert!(reads[0].cached);
    let listings: Vec<_> = reads.iter().map(|r| &r.listing).collect();
    let located = file_read::locate_in_layer(&listings, 0, LAST.as_bytes()).expect("located");
    let index = reads[0].index.as_ref();
    assert!(index.is_some());

    let before = blob_gets(&s.proxy).len();
    let part = file_read::read_part(&source, &info.layers[0], &located, 0, 1000, index)
        .await
        .expect("read");
    assert_eq!(part.bytes, s.text[..1000]);
    assert_eq!(part.size, s.text.len() as u64);
    assert!(part.verified && part.more());
    let gets = blob_gets(&s.proxy);
    let ranged = &gets[before..];
    assert_eq!(ranged.len(), 1, "{gets:?}");
    let (range, status, body) = &ranged[0];
    assert!(range.is_some() && *status == 206, "{range:?} {status}");
    assert!(*body < s.blob_size / 10, "{body} of {}", s.blob_size);

    // "Load more": the next part, from the same checked bytes.
    let next = file_read::read_part(&source, &info.layers[0], &located, 1000, 500, index)
        .await
        .expect("next part");
    assert_eq!(next.bytes, s.text[1000..1500]);

    let start = index
        .and_then(|i| i.before(located.header_offset))
        .expect("a checkpoint")
        .in_bits
        / 8;
    let offset = s.blob_size - usize::try_from(start).expect("offset") - 300;
    s.proxy.add(
        Rule::path("/blobs/").method("GET"),
        Fault::FlipByte { offset },
    );
    match file_read::read_part(&source, &info.layers[0], &located, 0, 1000, index).await {
        Err(FileError::Mismatch { path, .. }) => assert_eq!(path, format!("/{LAST}")),
        Err(FileError::Layer(e)) => assert!(
            matches!(
                e,
                layers::Error::Corrupt { .. } | layers::Error::Truncated { .. }
            ),
            "{e:?}"
        ),
        other => panic!("a changed byte went through: {other:?}"),
    }
}
