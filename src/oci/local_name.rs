//! What names an image inside one local store (ARCHITECTURE.md, "Names are types"): nothing
//! (a layout's only image, else its `latest`), a digest or image ID, or a name. The text after
//! `berth:`, `oci:DIR:`, `docker:` or `podman:` is parsed into one once, where it comes in,
//! and the stores and the jobs take it as a type after.

use super::Digest;
use super::name::{DEFAULT_TAG, ImageName};
use std::fmt;

/// An image inside one local store.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum LocalName {
    /// Nothing named: a layout's only image, else the one tagged `latest`.
    #[default]
    Default,
    /// `sha256:…`: a layout's manifest (or index) digest, an engine's image ID.
    Digest(Digest),
    /// A full name (`host/repo:tag`, maybe `@digest`), a suffix of one (`alpine:3.19`), a
    /// layout's bare tag (`v1`, as skopeo writes `oci:DIR:v1`), or an engine's short ID.
    Name(ImageName),
}

impl LocalName {
    /// Never fails: other tools write these names, so only the shape is read (see
    /// [`ImageName::parse`]); a valid `sha256:` digest is a digest.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        if text.is_empty() {
            Self::Default
        } else if let Ok(d) = Digest::parse(text) {
            Self::Digest(d)
        } else {
            Self::Name(ImageName::parse(text))
        }
    }

    #[must_use]
    pub fn is_default(&self) -> bool {
        matches!(self, Self::Default)
    }

    /// The name, when the image is named by one.
    #[must_use]
    pub fn name(&self) -> Option<&ImageName> {
        match self {
            Self::Name(n) => Some(n),
            _ => None,
        }
    }

    /// The tag a copy of this image takes when its destination names none: the one named;
    /// `latest` for a repository path without tag; a bare layout tag itself; none for an
    /// image named by digest or not named at all.
    #[must_use]
    pub fn tag_for_copy(&self) -> Option<String> {
        let Self::Name(n) = self else { return None };
        if n.digest.is_some() {
            None
        } else if let Some(t) = &n.tag {
            Some(t.clone())
        } else if n.path.contains('/') {
            Some(DEFAULT_TAG.to_owned())
        } else {
            Some(n.path.clone())
        }
    }
}

impl fmt::Display for LocalName {
    /// The text it was parsed from (empty for [`LocalName::Default`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => Ok(()),
            Self::Digest(d) => write!(f, "{d}"),
            Self::Name(n) => write!(f, "{n}"),
        }
    }
}

impl From<ImageName> for LocalName {
    fn from(n: ImageName) -> Self {
        Self::Name(n)
    }
}

impl From<Digest> for LocalName {
    fn from(d: Digest) -> Self {
        Self::Digest(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_are_nothing_a_digest_or_a_name() {
        assert_eq!(LocalName::parse(""), LocalName::Default);
        let d = Digest::of(b"x");
        assert_eq!(LocalName::parse(d.as_str()), LocalName::Digest(d.clone()));
        let n = LocalName::parse("h:5000/team/app:1");
        assert_eq!(n.name().and_then(ImageName::tag), Some("1"));
        for text in ["", d.as_str(), "h:5000/team/app:1", "v1", "abc123def456"] {
            assert_eq!(LocalName::parse(text).to_string(), text);
        }
        // A digest that is not a whole sha256 is only a name's shape.
        assert!(matches!(LocalName::parse("sha256:ab"), LocalName::Name(_)));
    }

    #[test]
    fn the_tag_a_copy_takes() {
        let tag = |t: &str| LocalName::parse(t).tag_for_copy();
        assert_eq!(tag("h/team/app:2").as_deref(), Some("2"));
        assert_eq!(tag("team/app").as_deref(), Some(DEFAULT_TAG));
        assert_eq!(tag("v1").as_deref(), Some("v1"));
        let d = Digest::of(b"x");
        assert_eq!(tag(d.as_str()), None);
        assert_eq!(tag(&format!("team/app@{d}")), None);
        assert_eq!(tag(""), None);
    }
}
