//! The disk cache of one repository's facts: which digest each tag pointed at when last
//! seen, and the facts of each digest. One JSON file per repository, `<sha256>.json` in the
//! cache directory (`ProjectDirs::cache_dir()/tag-facts` by default, or a directory the
//! caller gives), named by a hash of the registry and repository. The file names its format,
//! version, registry and repository; a file that does not parse, is of another version, names
//! another repository, holds a digest that does not parse or is bigger than
//! [`MAX_FILE_BYTES`] is ignored. Facts are read by digest, and a digest names its content,
//! so a cached fact needs no recheck; the tags' digests are only a first guess until the tag
//! lookup has asked again. The directory keeps at most [`MAX_FILES`] files, the oldest going
//! first.

use super::{Blob, Detail, PlatformFacts, TagFacts};
use crate::oci::{Digest, ManifestKind, Platform, Repository};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const FORMAT: &str = "berth-tag-facts";
/// Bumped whenever the file changes meaning; a file of another version is ignored.
pub const VERSION: u32 = 3;
/// A bigger file is neither read nor written (about 300,000 tags).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// How many repositories' files the directory keeps.
pub const MAX_FILES: usize = 256;

/// One manifest's facts as the file holds them.
pub type FileFact = (
    String,
    Option<i64>,
    Option<u64>,
    Vec<(String, u64)>,
    FileDetail,
);

/// A manifest's [`Detail`] as the file holds it.
#[derive(Serialize, Deserialize)]
pub struct FileDetail {
    kind: FileKind,
    /// `[platform, digest, size, created]` of an index's platform images.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    platforms: Vec<(Platform, String, Option<u64>, Option<i64>)>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FileKind {
    Image,
    Index(Option<usize>),
    Artifacts(usize),
    Artifact(Option<String>),
}

impl From<&Detail> for FileDetail {
    fn from(detail: &Detail) -> Self {
        let kind = match &detail.kind {
            ManifestKind::Image => FileKind::Image,
            ManifestKind::Index { platforms } => FileKind::Index(*platforms),
            ManifestKind::Artifacts { count } => FileKind::Artifacts(*count),
            ManifestKind::Artifact { artifact_type } => FileKind::Artifact(artifact_type.clone()),
        };
        let platforms = detail
            .platforms
            .iter()
            .map(|p| (p.platform.clone(), p.digest.to_string(), p.size, p.created))
            .collect();
        Self { kind, platforms }
    }
}

impl FileDetail {
    fn read(self) -> Option<Detail> {
        let kind = match self.kind {
            FileKind::Image => ManifestKind::Image,
            FileKind::Index(platforms) => ManifestKind::Index { platforms },
            FileKind::Artifacts(count) => ManifestKind::Artifacts { count },
            FileKind::Artifact(artifact_type) => ManifestKind::Artifact { artifact_type },
        };
        let platforms = self
            .platforms
            .into_iter()
            .map(|(platform, digest, size, created)| {
                Some(PlatformFacts {
                    platform,
                    digest: Digest::parse(&digest).ok()?,
                    size,
                    created,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Detail { kind, platforms })
    }
}

#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    version: u32,
    registry: String,
    repository: String,
    /// `[tag, digest]`.
    tags: Vec<(String, String)>,
    /// `[digest, created (seconds, UTC), size, [[blob digest, size]], detail]` (version 2
    /// added the blobs, for retention estimates; version 3 the detail, for the tags table's
    /// cells).
    facts: Vec<FileFact>,
}

/// What a file held, validated.
#[derive(Default)]
pub struct Loaded {
    pub tags: HashMap<String, Digest>,
    pub facts: HashMap<Digest, (TagFacts, Vec<Blob>, Detail)>,
}

/// The default directory: `ProjectDirs::from("", "", "berth").cache_dir()/tag-facts`.
#[must_use]
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "berth").map(|p| p.cache_dir().join("tag-facts"))
}

/// The file of `repository` on `registry` in `dir`.
#[must_use]
pub fn file_of(dir: &Path, registry: &str, repository: &Repository) -> PathBuf {
    let key = Digest::of(format!("{registry}/{repository}").as_bytes());
    dir.join(format!("{}.json", key.hex()))
}

/// Reads the file of `repository`; anything wrong with it is a miss.
#[must_use]
pub fn load(dir: &Path, registry: &str, repository: &Repository) -> Loaded {
    let path = file_of(dir, registry, repository);
    let read = || -> Option<Loaded> {
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
            return None;
        }
        let file: File = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
        if file.format != FORMAT
            || file.version != VERSION
            || file.registry != registry
            || file.repository != repository.as_str()
        {
            return None;
        }
        let mut loaded = Loaded::default();
        for (tag, digest) in file.tags {
            loaded.tags.insert(tag, Digest::parse(&digest).ok()?);
        }
        for (digest, created, size, blobs, detail) in file.facts {
            let blobs = blobs
                .into_iter()
                .map(|(d, size)| Digest::parse(&d).ok().map(|digest| Blob { digest, size }))
                .collect::<Option<Vec<_>>>()?;
            loaded.facts.insert(
                Digest::parse(&digest).ok()?,
                (TagFacts { created, size }, blobs, detail.read()?),
            );
        }
        Some(loaded)
    };
    read().unwrap_or_else(|| {
        if path.exists() {
            tracing::debug!(path = %path.display(), "ignoring an unreadable tag facts file");
        }
        Loaded::default()
    })
}

/// Writes the file of `repository` atomically, then trims the directory to [`MAX_FILES`].
pub fn save(
    dir: &Path,
    registry: &str,
    repository: &Repository,
    tags: Vec<(String, String)>,
    facts: Vec<FileFact>,
) -> std::io::Result<()> {
    let file = File {
        format: FORMAT.to_owned(),
        version: VERSION,
        registry: registry.to_owned(),
        repository: repository.as_str().to_owned(),
        tags,
        facts,
    };
    let bytes = serde_json::to_vec(&file).map_err(std::io::Error::other)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    crate::atomic_file::write_atomic(&file_of(dir, registry, repository), &bytes, None)?;
    trim(dir);
    Ok(())
}

/// Removes the oldest files beyond [`MAX_FILES`].
fn trim(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if files.len() <= MAX_FILES {
        return;
    }
    files.sort();
    for (_, path) in &files[..files.len() - MAX_FILES] {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(n: u8) -> Digest {
        Digest::of(&[n])
    }

    #[test]
    fn a_manifests_detail_reads_back_as_written() {
        let dir = tempfile::tempdir().expect("dir");
        let repository = Repository::parse("team/app").expect("repository");
        let index = Detail {
            kind: ManifestKind::Index { platforms: Some(2) },
            platforms: vec![
                PlatformFacts {
                    platform: Platform::parse("linux/amd64").expect("platform"),
                    digest: digest(1),
                    size: Some(10),
                    created: Some(1_700_000_000),
                },
                PlatformFacts {
                    platform: Platform::parse("linux/arm/v7").expect("platform"),
                    digest: digest(2),
                    size: None,
                    created: None,
                },
            ],
        };
        let artifact = Detail {
            kind: ManifestKind::Artifact {
                artifact_type: Some("application/spdx+json".to_owned()),
            },
            platforms: Vec::new(),
        };
        let facts = vec![
            (
                digest(3).to_string(),
                Some(5),
                Some(6),
                Vec::new(),
                FileDetail::from(&index),
            ),
            (
                digest(4).to_string(),
                None,
                Some(7),
                Vec::new(),
                FileDetail::from(&artifact),
            ),
        ];
        let tags = vec![("v1".to_owned(), digest(3).to_string())];
        save(dir.path(), "r.example", &repository, tags, facts).expect("save");
        let loaded = load(dir.path(), "r.example", &repository);
        assert_eq!(loaded.tags.get("v1"), Some(&digest(3)));
        assert_eq!(loaded.facts[&digest(3)].2, index);
        assert_eq!(loaded.facts[&digest(4)].2, artifact);
        assert_eq!(
            loaded.facts[&digest(4)].0,
            TagFacts {
                created: None,
                size: Some(7)
            }
        );
    }
}
