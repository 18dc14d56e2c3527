//! `index.json` of an OCI image layout: its descriptors, the names they carry, and finding
//! the entry a reference means. Names follow containerd's convention:
//! `org.opencontainers.image.ref.name` holds the tag and `io.containerd.image.name` the full
//! reference; layouts written by skopeo carry only the first.
//!
//! Unknown fields are kept (`extra`), so rewriting an index another tool wrote loses nothing.

use crate::oci::{DEFAULT_TAG, Digest, ImageName, LocalName, Platform, media, with_default_tag};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The tag annotation (OCI).
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";
/// The full-reference annotation (containerd).
pub const IMAGE_NAME: &str = "io.containerd.image.name";

/// A content descriptor, as `index.json` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Descriptor {
    #[serde(rename = "mediaType")]
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<serde_json::Value>,
    #[serde(
        rename = "artifactType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub artifact_type: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Descriptor {
    #[must_use]
    pub fn new(media_type: &str, digest: Digest, size: u64) -> Self {
        Self {
            media_type: media_type.to_owned(),
            digest,
            size,
            platform: None,
            artifact_type: None,
            annotations: BTreeMap::new(),
            extra: serde_json::Map::new(),
        }
    }

    #[must_use]
    pub fn with_platform(mut self, platform: &Platform) -> Self {
        self.platform = serde_json::to_value(platform).ok();
        self
    }

    /// The platform, when the descriptor names one.
    #[must_use]
    pub fn platform(&self) -> Option<Platform> {
        self.platform
            .as_ref()
            .and_then(|p| serde_json::from_value(p.clone()).ok())
    }

    /// The name this entry goes by, as the store shows it.
    #[must_use]
    pub fn ref_name(&self) -> RefName {
        RefName {
            name: self.annotations.get(IMAGE_NAME).cloned(),
            tag: self.annotations.get(REF_NAME).cloned(),
        }
    }
}

/// The names of one `index.json` entry: the full reference (containerd's annotation) and
/// the tag (OCI's). Either may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RefName {
    pub name: Option<String>,
    pub tag: Option<String>,
}

impl RefName {
    /// A full image reference (`host/repo:tag` or `host/repo@sha256:…`): the full name goes
    /// into `io.containerd.image.name`, the tag (if any) into `…ref.name`. A name without tag
    /// or digest gets `latest`.
    #[must_use]
    pub fn image(full: &ImageName) -> Self {
        let full = full.clone().with_default_tag();
        Self {
            tag: full.tag().map(str::to_owned),
            name: Some(full.to_string()),
        }
    }

    /// Only a tag, as skopeo writes `oci:DIR:TAG`.
    #[must_use]
    pub fn tag(tag: &str) -> Self {
        Self {
            name: None,
            tag: Some(tag.to_owned()),
        }
    }

    /// What a user types to mean this entry: the full name, else the tag.
    #[must_use]
    pub fn display(&self) -> Option<&str> {
        self.name.as_deref().or(self.tag.as_deref())
    }

    /// Do two entries carry the same name? (A commit replaces the entry with the same name.)
    fn same_as(&self, other: &RefName) -> bool {
        match (&self.name, &other.name) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.tag.is_some() && self.tag == other.tag,
            _ => false,
        }
    }

    pub(crate) fn apply(&self, annotations: &mut BTreeMap<String, String>) {
        annotations.remove(IMAGE_NAME);
        annotations.remove(REF_NAME);
        if let Some(n) = &self.name {
            annotations.insert(IMAGE_NAME.to_owned(), n.clone());
        }
        if let Some(t) = &self.tag {
            annotations.insert(REF_NAME.to_owned(), t.clone());
        }
    }
}

/// The parsed `index.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LayoutIndex {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType", default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Default for LayoutIndex {
    fn default() -> Self {
        Self {
            schema_version: 2,
            media_type: Some(media::OCI_INDEX.to_owned()),
            manifests: Vec::new(),
            annotations: BTreeMap::new(),
            extra: serde_json::Map::new(),
        }
    }
}

impl LayoutIndex {
    /// Points `name` at `descriptor`, replacing the entry that carried the same name.
    pub fn set(&mut self, name: &RefName, mut descriptor: Descriptor) {
        name.apply(&mut descriptor.annotations);
        self.manifests.retain(|d| !d.ref_name().same_as(name));
        self.manifests.push(descriptor);
    }

    /// The entries `query` means, by index into `manifests`.
    ///
    /// - nothing: the only entry, else the one tagged `latest`;
    /// - a digest, or `NAME@sha256:…`: every entry with that digest (and that name);
    /// - a full name or a tag, exactly;
    /// - else a name suffix on a path boundary (`alpine:3.19` finds
    ///   `registry.example.com/library/alpine:3.19`), with `:latest` when no tag is given.
    #[must_use]
    pub fn find(&self, query: &LocalName) -> Vec<usize> {
        let all = || 0..self.manifests.len();
        let (name, digest) = match query {
            LocalName::Default => {
                if self.manifests.len() == 1 {
                    return vec![0];
                }
                return all()
                    .filter(|&i| self.manifests[i].ref_name().tag.as_deref() == Some(DEFAULT_TAG))
                    .collect();
            }
            LocalName::Digest(d) => (String::new(), Some(d.to_string())),
            LocalName::Name(n) => (n.without_digest().to_string(), n.digest.clone()),
        };
        let name = name.as_str();
        let digest = digest.as_deref();
        let digest_ok = |i: usize| digest.is_none_or(|d| self.manifests[i].digest.as_str() == d);
        if name.is_empty() {
            return all().filter(|&i| digest_ok(i)).collect();
        }
        let name_is = |i: usize, wanted: &str| {
            let r = self.manifests[i].ref_name();
            let full = r
                .name
                .as_deref()
                .map(|n| ImageName::parse(n).without_digest().to_string());
            full.as_deref() == Some(wanted) || r.tag.as_deref() == Some(wanted)
        };
        let exact: Vec<usize> = all()
            .filter(|&i| digest_ok(i) && name_is(i, name))
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        let tagged = if digest.is_some() {
            name.to_owned()
        } else {
            with_default_tag(name)
        };
        let suffix = format!("/{tagged}");
        all()
            .filter(|&i| {
                digest_ok(i)
                    && self.manifests[i].ref_name().name.is_some_and(|n| {
                        let n = ImageName::parse(&n).without_digest().to_string();
                        n == tagged || n.ends_with(&suffix)
                    })
            })
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn entry(name: Option<&str>, tag: Option<&str>, seed: &[u8]) -> Descriptor {
        let mut d = Descriptor::new(media::OCI_MANIFEST, Digest::of(seed), 1);
        RefName {
            name: name.map(str::to_owned),
            tag: tag.map(str::to_owned),
        }
        .apply(&mut d.annotations);
        d
    }

    #[test]
    fn names_split_into_full_and_tag() {
        let image = |t: &str| RefName::image(&ImageName::parse(t));
        let r = image("127.0.0.1:5000/library/alpine:3.19");
        assert_eq!(r.tag.as_deref(), Some("3.19"));
        let r = image("127.0.0.1:5000/library/alpine");
        assert_eq!(
            r.name.as_deref(),
            Some("127.0.0.1:5000/library/alpine:latest")
        );
        let d = Digest::of(b"x");
        let r = image(&format!("host/repo@{d}"));
        assert_eq!(r.tag, None);
    }

    #[test]
    fn find_exact_suffix_digest_and_latest() {
        let mut index = LayoutIndex::default();
        index.manifests.push(entry(
            Some("h:5000/library/alpine:3.19"),
            Some("3.19"),
            b"a",
        ));
        index.manifests.push(entry(
            Some("h:5000/library/alpine:latest"),
            Some("latest"),
            b"a",
        ));
        index
            .manifests
            .push(entry(None, Some("nginx-latest"), b"n"));
        assert_eq!(
            index.find(&LocalName::parse("h:5000/library/alpine:3.19")),
            [0]
        );
        assert_eq!(index.find(&LocalName::parse("alpine:3.19")), [0]);
        assert_eq!(index.find(&LocalName::parse("library/alpine")), [1]);
        assert_eq!(index.find(&LocalName::parse("nginx-latest")), [2]);
        assert_eq!(index.find(&Digest::of(b"a").into()), [0, 1]);
        assert_eq!(index.find(&LocalName::parse("")), [1]);
        assert!(index.find(&LocalName::parse("pine:3.19")).is_empty());
        assert!(index.find(&LocalName::parse("other")).is_empty());
    }

    #[test]
    fn set_replaces_the_entry_with_the_same_name() {
        let mut index = LayoutIndex::default();
        index.set(
            &RefName::image(&ImageName::parse("h/a:1")),
            Descriptor::new(media::OCI_MANIFEST, Digest::of(b"1"), 1),
        );
        index.set(
            &RefName::image(&ImageName::parse("h/b:1")),
            Descriptor::new(media::OCI_MANIFEST, Digest::of(b"1"), 1),
        );
        index.set(
            &RefName::image(&ImageName::parse("h/a:1")),
            Descriptor::new(media::OCI_MANIFEST, Digest::of(b"2"), 1),
        );
        assert_eq!(index.manifests.len(), 2);
        assert_eq!(index.manifests[1].digest, Digest::of(b"2"));
        let text = serde_json::to_string(&index).unwrap();
        assert!(
            text.contains(IMAGE_NAME) && text.contains(REF_NAME),
            "{text}"
        );
    }
}
