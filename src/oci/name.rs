//! Names as types (ARCHITECTURE.md): a repository path, a reference (tag or digest) and the
//! name of an image in a local store, each parsed once where text comes in and passed as a
//! type after, so that splitting `repo:tag` and defaulting to `latest` happen only here.

use super::Digest;
use super::reference::ReferenceError;
use super::reference_fast::{path_component, tag as valid_tag};
use std::fmt;

/// The tag a name without tag or digest means. The one place that spells it.
pub const DEFAULT_TAG: &str = "latest";

/// A repository path inside a registry (`team/app`, `library/alpine`): `/`-separated
/// components of lowercase letters and digits joined by `.`, `_`, `__` or dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Repository(String);

impl Repository {
    pub fn parse(input: &str) -> Result<Self, ReferenceError> {
        if !input.is_empty() && input.len() <= 255 && input.split('/').all(path_component) {
            Ok(Self(input.to_owned()))
        } else {
            Err(ReferenceError {
                input: input.to_owned(),
                reason: "expected a repository such as team/app (lowercase)".to_owned(),
            })
        }
    }

    /// A repository the parser already checked (the fast path and oci-spec agree on it).
    pub(super) fn checked(path: String) -> Self {
        Self(path)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Repository {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Repository {
    type Err = ReferenceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl PartialEq<str> for Repository {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Repository {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// What to ask a repository for: a tag or a digest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reference {
    Tag(String),
    Digest(Digest),
}

impl Default for Reference {
    /// The default tag, `latest`.
    fn default() -> Self {
        Self::Tag(DEFAULT_TAG.to_owned())
    }
}

impl Reference {
    /// `sha256:…` is a digest; anything else must be a valid tag.
    pub fn parse(input: &str) -> Result<Self, ReferenceError> {
        if input.contains(':') {
            return Digest::parse(input)
                .map(Self::Digest)
                .map_err(|e| ReferenceError {
                    input: input.to_owned(),
                    reason: e.reason.to_owned(),
                });
        }
        match valid_tag(input) {
            Some(t) => Ok(Self::Tag(t.to_owned())),
            None => Err(ReferenceError {
                input: input.to_owned(),
                reason: "a tag is up to 128 letters, digits, `_`, `.` and `-`".to_owned(),
            }),
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Tag(t) => t,
            Self::Digest(d) => d.as_str(),
        }
    }

    #[must_use]
    pub fn tag(&self) -> Option<&str> {
        match self {
            Self::Tag(t) => Some(t),
            Self::Digest(_) => None,
        }
    }

    #[must_use]
    pub fn digest(&self) -> Option<&Digest> {
        match self {
            Self::Tag(_) => None,
            Self::Digest(d) => Some(d),
        }
    }

    /// `:` before a tag, `@` before a digest, as a full name writes it.
    #[must_use]
    pub fn separator(&self) -> char {
        match self {
            Self::Tag(_) => ':',
            Self::Digest(_) => '@',
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Reference {
    type Err = ReferenceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl From<Digest> for Reference {
    fn from(d: Digest) -> Self {
        Self::Digest(d)
    }
}

/// The tag a name carries, or the default one.
#[must_use]
pub fn tag_or_default(tag: Option<&str>) -> &str {
    tag.unwrap_or(DEFAULT_TAG)
}

/// The name of an image in a local store (a layout's `io.containerd.image.name`, an engine's
/// tag): `[HOST[:PORT]/]PATH[:TAG][@DIGEST]`. Other tools write these, so only the shape is
/// checked: a `:` after the last `/` starts the tag, an `@` starts the digest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageName {
    /// `[HOST/]PATH`, without tag or digest.
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageName {
    #[must_use]
    pub fn parse(input: &str) -> Self {
        let (name_tag, digest) = match input.split_once('@') {
            Some((n, d)) => (n, Some(d.to_owned())),
            None => (input, None),
        };
        let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match name_tag[last_slash..].rfind(':') {
            Some(i) => {
                let at = last_slash + i;
                let tag = &name_tag[at + 1..];
                (&name_tag[..at], (!tag.is_empty()).then(|| tag.to_owned()))
            }
            None => (name_tag, None),
        };
        Self {
            path: path.to_owned(),
            tag,
            digest,
        }
    }

    /// The tag, unless the name is pinned by digest.
    #[must_use]
    pub fn tag(&self) -> Option<&str> {
        if self.digest.is_some() {
            None
        } else {
            self.tag.as_deref()
        }
    }

    /// The name with `latest` added when it has neither tag nor digest.
    #[must_use]
    pub fn with_default_tag(mut self) -> Self {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some(DEFAULT_TAG.to_owned());
        }
        self
    }

    /// The name without its digest (`host/repo:tag`).
    #[must_use]
    pub fn without_digest(&self) -> Self {
        Self {
            digest: None,
            ..self.clone()
        }
    }

    /// The last path component (`alpine` of `host/library/alpine:3`).
    #[must_use]
    pub fn short_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// Whether the first component names a registry host (`registry.example.com/…`,
    /// `host:5000/…`, `localhost/…`), as Docker decides it.
    #[must_use]
    pub fn has_host(&self) -> bool {
        match self.path.split_once('/') {
            Some((first, _)) => first.contains('.') || first.contains(':') || first == "localhost",
            None => false,
        }
    }

    /// The path without its host, when it has one.
    #[must_use]
    pub fn without_host(&self) -> &str {
        match self.path.split_once('/') {
            Some((_, rest)) if self.has_host() => rest,
            _ => &self.path,
        }
    }
}

/// `name` with `:latest` added when it has neither tag nor digest.
#[must_use]
pub fn with_default_tag(name: &str) -> String {
    ImageName::parse(name).with_default_tag().to_string()
}

impl fmt::Display for ImageName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_are_validated() {
        assert_eq!(
            Repository::parse("team/app-x/api").unwrap().to_string(),
            "team/app-x/api"
        );
        for bad in ["", "Team/app", "a//b", "/a", "a:1", "a b"] {
            assert!(Repository::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn references_are_tags_or_digests() {
        let d = Digest::of(b"x");
        assert_eq!(
            Reference::parse("v1.2").unwrap(),
            Reference::Tag("v1.2".into())
        );
        assert_eq!(
            Reference::parse(d.as_str()).unwrap(),
            Reference::Digest(d.clone())
        );
        assert_eq!(Reference::Digest(d.clone()).separator(), '@');
        assert_eq!(Reference::default().to_string(), DEFAULT_TAG);
        assert!(Reference::parse("").is_err());
        assert!(Reference::parse("-x").is_err());
        assert!(Reference::parse("md5:00").is_err());
    }

    #[test]
    fn image_names_split_once() {
        let n = ImageName::parse("h:5000/library/alpine:3.19");
        assert_eq!(n.path, "h:5000/library/alpine");
        assert_eq!(n.tag(), Some("3.19"));
        assert!(n.has_host());
        assert_eq!(n.without_host(), "library/alpine");
        assert_eq!(n.short_name(), "alpine");

        let n = ImageName::parse("h:5000/alpine").with_default_tag();
        assert_eq!(n.to_string(), "h:5000/alpine:latest");

        let d = Digest::of(b"x");
        let n = ImageName::parse(&format!("repo@{d}")).with_default_tag();
        assert_eq!(n.tag(), None);
        assert_eq!(n.to_string(), format!("repo@{d}"));

        let n = ImageName::parse("team/app");
        assert!(!n.has_host());
        assert_eq!(n.without_host(), "team/app");
        assert_eq!(ImageName::parse("a:").tag(), None);
    }
}
